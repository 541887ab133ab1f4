/**
 * Money is handled as integer cents (bigint) in code and numeric(12,2) in the database, and shown
 * as a decimal string ("49.00"). Floats never touch an amount.
 */
const DECIMAL = /^(\d{1,10})(?:\.(\d{1,2}))?$/;

/** Parses "49", "49.5", "49.50" or the number 49.5 into cents; undefined when it is not an amount. */
export function parseCents(value: string | number): bigint | undefined {
  const text = typeof value === 'number' ? (Number.isFinite(value) ? String(value) : '') : value.trim();
  const match = DECIMAL.exec(text);
  if (!match) return undefined;
  const [, whole = '0', fraction = ''] = match;
  return BigInt(whole) * 100n + BigInt(fraction.padEnd(2, '0'));
}

export function formatCents(cents: bigint): string {
  const sign = cents < 0n ? '-' : '';
  const abs = cents < 0n ? -cents : cents;
  return `${sign}${abs / 100n}.${String(abs % 100n).padStart(2, '0')}`;
}

/** Normalises a database numeric string ("49.5" or "49.50") to two places. */
export const formatMoney = (value: string): string => formatCents(parseCents(value) ?? 0n);
