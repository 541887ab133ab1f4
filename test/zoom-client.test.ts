import { pino } from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createZoomClient, type ZoomClient } from '../src/zoom/client.js';
import { classifyResponse, ZoomApiError } from '../src/zoom/errors.js';
import { createRateLimiter } from '../src/zoom/rate-limiter.js';
import { createZoomSimulator, type ZoomSimulator, type ZoomSimulatorOptions } from '../src/zoom/simulator/index.js';

/** A simulator and a client pointed at it over loopback HTTP, with one shared clock. */
async function pair(options: Partial<ZoomSimulatorOptions> = {}, client: { plan?: 'free' | 'pro'; timeoutMs?: number; scale?: number } = {}) {
  let clock = Date.parse('2030-03-10T12:00:00Z');
  const now = () => new Date(clock);
  const credentials = { accountId: 'acc', clientId: 'cid', clientSecret: 'secret' };
  const sim = await createZoomSimulator({ ...credentials, now, ...options });
  await sim.listen(0, '127.0.0.1');
  const zoom = createZoomClient({
    ...credentials,
    apiBaseUrl: sim.apiBaseUrl(),
    tokenUrl: sim.tokenUrl(),
    timeoutMs: client.timeoutMs ?? 2_000,
    limiter: createRateLimiter(client.plan ?? 'pro', { scale: client.scale }),
    logger: pino({ level: 'silent' }),
    now,
  });
  return { sim, zoom, advance: (ms: number) => (clock += ms) };
}

let sim: ZoomSimulator;
let zoom: ZoomClient;
beforeAll(async () => {
  ({ sim, zoom } = await pair());
});
afterEach(() => sim.clearFaults());
afterAll(() => sim.close());

const webinar = (over: Parameters<ZoomSimulator['createWebinar']>[0] = { topic: 'T' }) => String(sim.createWebinar({ approval_type: 1, start_time: '2030-04-01T15:00:00Z', ...over }).id);
const failure = async (promise: Promise<unknown>): Promise<ZoomApiError> => {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(ZoomApiError);
  return error as ZoomApiError;
};

describe('OAuth', () => {
  it('fetches one token for 50 concurrent calls and reuses it', async () => {
    const fresh = await pair();
    try {
      const id = String(fresh.sim.createWebinar({ topic: 'Concurrent', approval_type: 1 }).id);
      const results = await Promise.all(Array.from({ length: 50 }, () => fresh.zoom.getWebinar(id)));
      expect(results.every((w) => w.topic === 'Concurrent')).toBe(true);
      expect(fresh.sim.tokenRequests()).toBe(1);
      await fresh.zoom.getQuestions(id);
      expect(fresh.sim.tokenRequests()).toBe(1);
      // An hour later the token is within the refresh margin: one new token, again for everyone.
      fresh.advance(3600_000 - 30_000);
      await Promise.all(Array.from({ length: 10 }, () => fresh.zoom.getWebinar(id)));
      expect(fresh.sim.tokenRequests()).toBe(2);
    } finally {
      await fresh.sim.close();
    }
  });

  it('refetches the token once when Zoom answers 401 code 124', async () => {
    const id = webinar();
    await zoom.getWebinar(id);
    const before = sim.tokenRequests();
    sim.injectFault({ kind: 'token_expired', times: 1 });
    expect((await zoom.getWebinar(id)).id).toBe(Number(id));
    expect(sim.tokenRequests()).toBe(before + 1);
  });

  it('refuses wrong credentials without retrying', async () => {
    const wrong = createZoomClient({ accountId: 'acc', clientId: 'cid', clientSecret: 'nope', apiBaseUrl: sim.apiBaseUrl(), tokenUrl: sim.tokenUrl(), timeoutMs: 1000, limiter: createRateLimiter('pro'), logger: pino({ level: 'silent' }) });
    const error = await failure(wrong.getWebinar(webinar()));
    expect(error.status).toBe(401);
    expect(error.retry).toEqual({ kind: 'never' });
  });
});

describe('pagination', () => {
  it('lists every registrant past the first page', async () => {
    const id = webinar({ topic: 'Big', approval_type: 0 });
    for (let i = 0; i < 650; i++) sim.addRegistrantDirectly(id, { email: `s${i}@example.org`, first_name: `S${i}` });
    const before = sim.requestLog().length;
    const all = await zoom.listRegistrants(id, 'approved');
    expect(all).toHaveLength(650);
    expect(new Set(all.map((r) => r.email)).size).toBe(650);
    const calls = sim.requestLog().slice(before).filter((e) => e.path.endsWith('/registrants'));
    expect(calls).toHaveLength(3);
    expect(await zoom.listRegistrants(id, 'pending')).toEqual([]);
  });
});

describe('retry verdicts', () => {
  const student = (n: number) => ({ email: `verdict${n}@example.org`, first_name: 'V', last_name: 'Erdict' });

  it('retries a read through a 5xx and succeeds', async () => {
    const id = webinar();
    sim.injectFault({ kind: 'http_500', match: { method: 'GET' }, times: 1 });
    expect((await zoom.getWebinar(id)).topic).toBe('T');
  });

  it('never repeats a write whose outcome is unknown: 5xx after the change, reset, timeout', async () => {
    const id = webinar();
    sim.injectFault({ kind: 'http_500', when: 'after', match: { method: 'POST' }, times: 1 });
    const after = await failure(zoom.addRegistrant(id, student(1)));
    expect(after).toMatchObject({ status: 500, outcomeUnknown: true, retry: { kind: 'soon' } });
    expect(sim.registrants(id).map((r) => r.email)).toEqual(['verdict1@example.org']);

    sim.injectFault({ kind: 'reset', match: { method: 'POST' }, times: 1 });
    const reset = await failure(zoom.addRegistrant(id, student(2)));
    expect(reset).toMatchObject({ status: 0, outcomeUnknown: true, retry: { kind: 'soon' } });

    const slow = await pair({}, { timeoutMs: 200 });
    try {
      const slowId = String(slow.sim.createWebinar({ topic: 'Slow', approval_type: 1 }).id);
      slow.sim.injectFault({ kind: 'slow', delayMs: 1000, match: { method: 'POST' }, times: 1 });
      const timeout = await failure(slow.zoom.addRegistrant(slowId, student(3)));
      expect(timeout).toMatchObject({ status: 0, outcomeUnknown: true, retry: { kind: 'soon' } });
      expect(timeout.zoomMessage).toContain('200 ms');
    } finally {
      await slow.sim.close();
    }
  });

  it('defers a per-registrant daily 429 to the next 00:00 UTC', async () => {
    const id = webinar();
    for (let i = 0; i < 3; i++) await zoom.addRegistrant(id, student(9));
    const limited = await failure(zoom.addRegistrant(id, student(9)));
    expect(limited.status).toBe(429);
    expect(limited.retry).toEqual({ kind: 'next_utc_day', at: new Date('2030-03-11T00:00:00Z') });
  });

  it('never retries registration disabled (3000), unknown webinar (3001), over (3038) or a validation error (300)', async () => {
    const disabled = await failure(zoom.addRegistrant(webinar({ topic: 'Open', approval_type: 2 }), student(4)));
    expect(disabled).toMatchObject({ status: 400, zoomCode: 3000, retry: { kind: 'never' } });
    const unknown = await failure(zoom.getWebinar('12345678901'));
    expect(unknown).toMatchObject({ status: 404, zoomCode: 3001, retry: { kind: 'never' } });
    expect(unknown.isNotFound).toBe(true);
    const over = await failure(zoom.addRegistrant(webinar({ topic: 'Past', start_time: '2030-03-01T10:00:00Z', duration: 60 }), student(5)));
    expect(over).toMatchObject({ status: 400, zoomCode: 3038, retry: { kind: 'never' } });
    const questions = { questions: [], custom_questions: [{ title: 'Serial number', type: 'short' as const, required: true }] };
    const invalid = await failure(zoom.addRegistrant(webinar({ topic: 'Q', questions }), student(6)));
    expect(invalid).toMatchObject({ status: 400, zoomCode: 300, retry: { kind: 'never' } });
    expect(invalid.fieldErrors.length).toBeGreaterThan(0);
  });

  it('classifies 429s from their headers, or their message when headers are missing', () => {
    const now = new Date('2030-03-10T12:00:00Z');
    const qps = classifyResponse(429, { code: 429, message: 'You have reached the maximum per-second rate limit for this API. Try again later.' }, new Headers({ 'retry-after': '2' }), now, 0);
    expect(qps).toEqual({ kind: 'soon', afterMs: 2000 });
    const reset = classifyResponse(429, { code: 429, message: 'per-second' }, new Headers({ 'x-ratelimit-reset': String(now.getTime() / 1000 + 3) }), now, 0);
    expect(reset).toEqual({ kind: 'soon', afterMs: 3000 });
    const noHint = classifyResponse(429, { code: 429, message: 'per-second' }, new Headers(), now, 3);
    expect(noHint.kind).toBe('soon');
    expect((noHint as { afterMs: number }).afterMs).toBeLessThanOrEqual(4000);
    const dailyHeader = classifyResponse(429, { code: 429, message: 'limit' }, new Headers({ 'x-ratelimit-type': 'Daily-limit', 'retry-after': '2030-03-11T00:00:00Z' }), now, 0);
    expect(dailyHeader).toEqual({ kind: 'next_utc_day', at: new Date('2030-03-11T00:00:00Z') });
    const dailyText = classifyResponse(429, { code: 429, message: 'You have reached the maximum daily rate limit for this API.' }, new Headers(), now, 0);
    expect(dailyText).toEqual({ kind: 'next_utc_day', at: new Date('2030-03-11T00:00:00Z') });
    expect(classifyResponse(400, { code: 4711, message: 'Invalid access token, does not contain scopes' }, new Headers(), now, 0)).toEqual({ kind: 'never' });
    expect(classifyResponse(400, { code: 3027, message: 'Host cannot register.' }, new Headers(), now, 0)).toEqual({ kind: 'never' });
    expect(classifyResponse(503, {}, new Headers(), now, 0).kind).toBe('soon');
  });
});

describe('status updates', () => {
  it('splits 70 approvals into calls of at most 30', async () => {
    const id = webinar({ topic: 'Approvals', approval_type: 1 });
    const ids = [];
    for (let i = 0; i < 70; i++) ids.push((await zoom.addRegistrant(id, { email: `a${i}@example.org`, first_name: 'A' })).registrant_id);
    const before = sim.requestLog().length;
    const result = await zoom.updateRegistrantStatus(id, 'approve', ids);
    expect(result.failed).toEqual([]);
    expect(result.done.map((chunk) => chunk.length)).toEqual([30, 30, 10]);
    expect(sim.requestLog().slice(before).filter((e) => e.method === 'PUT')).toHaveLength(3);
    expect(sim.registrants(id).filter((r) => r.status === 'approved')).toHaveLength(70);
  });
});

describe('client-side rate limiting', () => {
  it('never exceeds the plan rate per label, measured at the simulator', async () => {
    // Zoom Free: Light 4/s. 14 calls must take at least three full seconds and never provoke a 429.
    const free = await pair({ plan: 'free' }, { plan: 'free' });
    try {
      const id = String(free.sim.createWebinar({ topic: 'Rate', approval_type: 1 }).id);
      await Promise.all(Array.from({ length: 14 }, () => free.zoom.getWebinar(id)));
      const log = free.sim.requestLog().filter((e) => e.label === 'light');
      expect(log).toHaveLength(14);
      expect(log.every((e) => e.status === 200)).toBe(true);
      const maxInAnySecond = Math.max(...log.map((e) => log.filter((o) => o.at >= e.at && o.at < e.at + 1000).length));
      expect(maxInAnySecond).toBeLessThanOrEqual(4);
    } finally {
      await free.sim.close();
    }
  });
});
