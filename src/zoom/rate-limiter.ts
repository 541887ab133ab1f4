import pThrottle from 'p-throttle';
import { RATE_LIMITS, type RateLabel, type ZoomPlan } from './types.js';

export interface RateLimiter {
  /** Runs `task` when the label's budget allows; calls never start faster than the plan's rate. */
  schedule<T>(label: RateLabel, task: () => Promise<T>): Promise<T>;
}

/**
 * Zoom counts requests per account and label, per second (FACTS §3.1). One limiter per process,
 * shared by every caller, keeps us under that instead of discovering it through 429s. The window
 * is stretched by `marginRatio` because Zoom counts arrivals and network jitter can bunch starts.
 */
export function createRateLimiter(plan: ZoomPlan, options: { scale?: number; marginRatio?: number } = {}): RateLimiter {
  const scale = options.scale ?? 1;
  const interval = Math.round(1000 * (1 + (options.marginRatio ?? 0.05)));
  type Runner = (task: () => Promise<unknown>) => Promise<unknown>;
  const make = (label: RateLabel): Runner => {
    const limit = Math.max(1, Math.floor(RATE_LIMITS[plan][label] * scale));
    return pThrottle({ limit, interval, strict: true })((task: () => Promise<unknown>) => task());
  };
  const throttles: Record<RateLabel, Runner> = { light: make('light'), medium: make('medium'), heavy: make('heavy') };
  return { schedule: <T>(label: RateLabel, task: () => Promise<T>) => throttles[label](task) as Promise<T> };
}
