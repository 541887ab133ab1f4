import { performance } from 'node:perf_hooks';
import { RATE_LIMITS, type RateLabel, type ZoomPlan } from '../types.js';

export interface LabelDecision {
  allowed: boolean;
  limit: number;
  remaining: number;
}

/**
 * Zoom's per-second limits are per account and per label bucket, not per endpoint (FACTS §3.1:
 * two different Light endpoints add up). Counted over a sliding one-second window of real time
 * (performance.now), independent of the simulator's `now` clock, which only drives day boundaries.
 * A rejected request does not use up capacity, so a client that backs off gets the full rate.
 */
export class LabelLimiter {
  private readonly windows: Record<RateLabel, number[]> = { light: [], medium: [], heavy: [] };

  constructor(
    private readonly plan: ZoomPlan,
    private readonly scale: number,
    private readonly enforce: boolean,
  ) {}

  limit(label: RateLabel): number {
    return Math.max(1, Math.floor(RATE_LIMITS[this.plan][label] * this.scale));
  }

  take(label: RateLabel): LabelDecision {
    const now = performance.now();
    const window = this.windows[label];
    while (window.length > 0 && (window[0] ?? 0) <= now - 1000) window.shift();
    const limit = this.limit(label);
    if (this.enforce && window.length >= limit) return { allowed: false, limit, remaining: 0 };
    window.push(now);
    return { allowed: true, limit, remaining: Math.max(0, limit - window.length) };
  }

  reset(): void {
    for (const window of Object.values(this.windows)) window.length = 0;
  }
}

/** "2026-03-01" — the UTC day a date falls in (all Zoom daily limits reset at 00:00 UTC, FACTS §3.2). */
export const utcDay = (date: Date): string => date.toISOString().slice(0, 10);

/** The next 00:00:00 UTC after `date` — what a daily-limit 429's Retry-After names. */
export function nextUtcMidnight(date: Date): Date {
  return new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate() + 1));
}

/**
 * Counters that reset at 00:00 UTC by the simulator clock: per (webinar, registrant) add and status
 * requests, per host user create requests (FACTS §3.2). `tryTake` checks every key first and only
 * then counts them all, so a request rejected with 429 changes nothing.
 */
export class DailyCounters {
  private day = '';
  private readonly counts = new Map<string, number>();

  constructor(private readonly now: () => Date) {}

  private roll(): void {
    const today = utcDay(this.now());
    if (today !== this.day) {
      this.day = today;
      this.counts.clear();
    }
  }

  /** Counts one request for each key unless one of them is already at `limit`; returns that key. */
  tryTake(keys: readonly string[], limit: number): { ok: true } | { ok: false; key: string } {
    this.roll();
    const over = keys.find((key) => (this.counts.get(key) ?? 0) >= limit);
    if (over !== undefined) return { ok: false, key: over };
    for (const key of keys) this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
    return { ok: true };
  }

  reset(): void {
    this.counts.clear();
  }
}
