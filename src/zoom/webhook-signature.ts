import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Zoom's webhook signature (FACTS §5.3): "v0=" + hex(HMAC-SHA256(secret, "v0:{timestamp}:{raw body}")).
 * Shared by the receiver (verifies) and the simulator (signs), so the two cannot drift apart.
 */
export function signWebhook(secretToken: string, timestamp: string, rawBody: string | Buffer): string {
  const hmac = createHmac('sha256', secretToken);
  hmac.update(`v0:${timestamp}:`);
  hmac.update(rawBody);
  return `v0=${hmac.digest('hex')}`;
}

/** Constant-time comparison of a received signature with the expected one. */
export function signatureMatches(secretToken: string, timestamp: string, rawBody: string | Buffer, received: string): boolean {
  const expected = Buffer.from(signWebhook(secretToken, timestamp, rawBody));
  const actual = Buffer.from(received);
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

/** The answer to `endpoint.url_validation` (FACTS §5.4). */
export function urlValidationResponse(secretToken: string, plainToken: string) {
  return { plainToken, encryptedToken: createHmac('sha256', secretToken).update(plainToken).digest('hex') };
}
