/** Account rules shared by the HTTP schema and the CLI, so both accept the same accounts. */
export const USERNAME_PATTERN = '^[A-Za-z0-9_.+-]{3,150}$';
export const PASSWORD_MIN = 8;
export const PASSWORD_MAX = 128;
/** Same shape ajv's "email" format checks: something@domain.tld. */
export const looksLikeEmail = (email: string) => email.length <= 254 && /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email);
