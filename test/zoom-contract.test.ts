import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createZoomClient } from '../src/zoom/client.js';
import { createRateLimiter } from '../src/zoom/rate-limiter.js';
import { createZoomSimulator, type ZoomSimulator } from '../src/zoom/simulator/index.js';
import { loadContract, type Exchange } from './support/openapi-contract.js';

/**
 * Every request the client sends and every answer the simulator gives, checked against Zoom's own
 * OpenAPI spec. Runs when ZOOM_OPENAPI_SPEC names the spec file (.ci/run points it at
 * ../shared/zoom/ZoomMeetingAPISpec.json); vitest.config.ts leaves this file out otherwise.
 */
const specFile = process.env.ZOOM_OPENAPI_SPEC!;
const exchanges: Exchange[] = [];
let sim: ZoomSimulator;
let base: string;
const realFetch = globalThis.fetch;

beforeAll(async () => {
  sim = await createZoomSimulator({ accountId: 'acc', clientId: 'cid', clientSecret: 'secret' });
  await sim.listen(0, '127.0.0.1');
  base = sim.apiBaseUrl();
  // Record exactly what crosses the wire between the client and the simulator.
  globalThis.fetch = async (input: string | URL | Request, init?: RequestInit) => {
    const res = await realFetch(input, init);
    const url = new URL(String(input instanceof Request ? input.url : input));
    if (url.href.startsWith(base)) {
      const text = await res.clone().text();
      exchanges.push({
        method: init?.method ?? 'GET',
        path: url.pathname.slice(new URL(base).pathname.length),
        query: url.searchParams,
        requestBody: typeof init?.body === 'string' ? JSON.parse(init.body) : undefined,
        status: res.status,
        responseBody: text ? JSON.parse(text) : undefined,
      });
    }
    return res;
  };
});
afterAll(async () => {
  globalThis.fetch = realFetch;
  await sim.close();
});

describe("the client and the simulator against Zoom's OpenAPI spec", () => {
  it('conform for every operation EduConnect uses', async () => {
    const zoom = createZoomClient({ accountId: 'acc', clientId: 'cid', clientSecret: 'secret', apiBaseUrl: base, tokenUrl: sim.tokenUrl(), timeoutMs: 2000, limiter: createRateLimiter('pro'), logger: pino({ level: 'silent' }) });
    const questions = {
      questions: [{ field_name: 'last_name' as const, required: true }, { field_name: 'no_of_employees' as const, required: false }],
      custom_questions: [
        { title: 'Serial number', type: 'short' as const, required: true },
        { title: 'Level', type: 'single_radio' as const, required: false, answers: ['Beginner', 'Advanced'] },
      ],
    };
    const manual = String(sim.createWebinar({ topic: 'Contract', approval_type: 1, questions, start_time: new Date(Date.now() + 86_400_000).toISOString() }).id);
    const recurring = String(sim.createWebinar({ topic: 'Recurring', type: 9, registration_type: 3, approval_type: 0, start_time: new Date(Date.now() + 86_400_000).toISOString() }).id);

    await zoom.getWebinar(manual);
    await zoom.getQuestions(manual);
    await zoom.listUserWebinars('me', 'upcoming');
    const created = await zoom.createWebinar('me', { topic: 'Created', type: 5, start_time: new Date(Date.now() + 2 * 86_400_000).toISOString(), duration: 30, timezone: 'UTC', settings: { approval_type: 1 } });
    const added = await zoom.addRegistrant(manual, { email: 'c1@example.org', first_name: 'C', last_name: 'One', no_of_employees: '1-20', custom_questions: [{ title: 'Serial number', value: 'c1' }, { title: 'Level', value: 'Beginner' }] });
    const occurrence = (await zoom.getWebinar(recurring)).occurrences?.[0]?.occurrence_id;
    await zoom.addRegistrant(recurring, { email: 'c2@example.org', first_name: 'C' }, occurrence ? [occurrence] : undefined);
    await zoom.batchRegistrants(String(created.id), { auto_approve: true, registrants: [{ email: 'b1@example.org', first_name: 'B', last_name: 'One' }] });
    await zoom.listRegistrants(manual, 'pending');
    await zoom.getRegistrant(manual, added.registrant_id);
    await zoom.updateRegistrantStatus(manual, 'approve', [added.registrant_id]);
    await zoom.listRegistrants(manual, 'approved');
    await zoom.deleteRegistrant(manual, added.registrant_id);
    // Error answers are checked for a documented status too.
    await zoom.getWebinar('12345678901').catch(() => undefined);
    await zoom.addRegistrant(manual, { email: 'bad@example.org', first_name: 'No' }).catch(() => undefined);

    const { check } = loadContract(specFile);
    expect(exchanges.length).toBeGreaterThanOrEqual(14);
    expect(exchanges.flatMap(check)).toEqual([]);
  });
});
