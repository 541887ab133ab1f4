import type { ZoomErrorBody } from './types.js';

/**
 * What a caller should do after a failed Zoom call. The durable jobs of the pipeline act on this;
 * nothing else decides whether to retry.
 */
export type RetryVerdict =
  /** Transient: 5xx, network, timeout, per-second 429. Try again after `afterMs`. */
  | { kind: 'soon'; afterMs: number }
  /** A daily or per-registrant limit (FACTS §3.2): retrying before `at` (next 00:00 UTC) only burns budget. */
  | { kind: 'next_utc_day'; at: Date }
  /** Permanent for this input: registration disabled, not found, host cannot register, over, scope, validation. */
  | { kind: 'never' };

export class ZoomApiError extends Error {
  constructor(
    readonly operation: string,
    /** HTTP status; 0 for a network error or timeout. */
    readonly status: number,
    /** Zoom's own error code from the body (e.g. 3001), when there is one. */
    readonly zoomCode: number | undefined,
    readonly zoomMessage: string,
    readonly retry: RetryVerdict,
    /**
     * True when Zoom may have applied the change although we saw no answer (network error, timeout
     * or 5xx on a write). The caller must look before it writes again (FACTS §7 pitfall 4).
     */
    readonly outcomeUnknown: boolean,
    readonly fieldErrors: Array<{ field: string; message: string }> = [],
  ) {
    super(`Zoom ${operation} failed: ${status || 'network'}${zoomCode !== undefined ? `/${zoomCode}` : ''} ${zoomMessage}`);
    this.name = 'ZoomApiError';
  }

  get isNotFound(): boolean {
    return this.zoomCode === 3001 || this.status === 404;
  }
}

export const nextUtcMidnight = (now: Date): Date => new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1));

/** Exponential backoff with full jitter: uniform in [0, min(cap, base·2^attempt)]. */
export function backoffMs(attempt: number, baseMs = 500, capMs = 30_000, random = Math.random): number {
  return Math.round(random() * Math.min(capMs, baseMs * 2 ** attempt));
}

/**
 * Reads the hints Zoom may send with a 429 (FACTS §3.4): `Retry-After` as an ISO date-time (or
 * seconds), `X-RateLimit-Reset` as a unix timestamp. They are optional; undefined when absent.
 */
function hintedWaitMs(headers: Headers, now: Date): number | undefined {
  const retryAfter = headers.get('retry-after');
  if (retryAfter) {
    const seconds = Number(retryAfter);
    if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
    const at = Date.parse(retryAfter);
    if (Number.isFinite(at)) return Math.max(0, at - now.getTime());
  }
  const reset = Number(headers.get('x-ratelimit-reset'));
  if (Number.isFinite(reset) && reset > 0) return Math.max(0, reset * 1000 - now.getTime());
  return undefined;
}

/** A 429 is daily when Zoom says so in the header or, since headers are unreliable, in the message. */
function isDailyLimit(headers: Headers, message: string): boolean {
  const type = headers.get('x-ratelimit-type')?.toLowerCase() ?? '';
  return type.includes('daily') || /daily|GMT 00:00/i.test(message);
}

export function classifyResponse(status: number, body: Partial<ZoomErrorBody>, headers: Headers, now: Date, attempt: number): RetryVerdict {
  const message = body.message ?? '';
  if (status === 429) {
    if (isDailyLimit(headers, message)) {
      const hinted = hintedWaitMs(headers, now);
      const midnight = nextUtcMidnight(now);
      return { kind: 'next_utc_day', at: hinted !== undefined && hinted > 0 ? new Date(Math.max(now.getTime() + hinted, midnight.getTime())) : midnight };
    }
    return { kind: 'soon', afterMs: hintedWaitMs(headers, now) ?? backoffMs(attempt) };
  }
  if (status >= 500) return { kind: 'soon', afterMs: backoffMs(attempt) };
  if (status === 401 && body.code === 124) return { kind: 'soon', afterMs: 0 };
  // Every other 4xx is about the request itself and no retry fixes it (FACTS §2.10, §7): 300
  // validation, 3000 registration disabled / attendee limit, 3001 not found, 3027 host cannot
  // register, 3035/3043 capacity, 3038 over, 4711 missing scope (a 400, not a 403).
  return { kind: 'never' };
}
