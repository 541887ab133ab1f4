import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { createZoomSimulator, startStandaloneSimulator, type ZoomSimulator, type ZoomSimulatorOptions } from '../src/zoom/simulator/index.js';
import type { ZoomRegistrationQuestions } from '../src/zoom/types.js';
import { signatureMatches, urlValidationResponse } from '../src/zoom/webhook-signature.js';

/* The simulator over real HTTP (listen on port 0, fetch), as the client will use it. */

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- response bodies are checked structurally by the assertions
type Json = any;

const CREDS = { accountId: 'acct-1', clientId: 'client-1', clientSecret: 'secret-1' };
const basic = (id = CREDS.clientId, secret = CREDS.clientSecret) => `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;
const START = Date.parse('2026-03-02T10:00:00Z');

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()?.();
});

async function waitFor(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 2000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

interface Harness {
  sim: ZoomSimulator;
  base: string;
  clock: { ms: number };
  token: string;
  newToken(): Promise<string>;
  call(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<{ status: number; headers: Headers; body: Json }>;
}

/** A listening simulator with a settable clock and a token; label limits off unless asked for. */
async function harness(options: Partial<ZoomSimulatorOptions> = {}): Promise<Harness> {
  const clock = { ms: START };
  const sim = await createZoomSimulator({ ...CREDS, enforceRateLimits: false, now: () => new Date(clock.ms), ...options });
  const base = await sim.listen(0);
  cleanups.push(() => sim.close());
  const newToken = async () => {
    const res = await fetch(sim.tokenUrl(), {
      method: 'POST',
      headers: { authorization: basic(), 'content-type': 'application/x-www-form-urlencoded' },
      body: `grant_type=account_credentials&account_id=${CREDS.accountId}`,
    });
    return ((await res.json()) as { access_token: string }).access_token;
  };
  const h: Harness = {
    sim,
    base,
    clock,
    token: await newToken(),
    newToken,
    async call(method, path, body, headers = {}) {
      const res = await fetch(`${sim.apiBaseUrl()}${path}`, {
        method,
        headers: { authorization: `Bearer ${h.token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
        ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
      });
      const text = await res.text();
      return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined };
    },
  };
  return h;
}

const person = (n: number | string, extra: Record<string, unknown> = {}) => ({ email: `p${n}@example.org`, first_name: `P${n}`, last_name: 'Test', ...extra });

describe('Server-to-Server OAuth (FACTS §4)', () => {
  it('issues bearer tokens for the right client, grant and account, in the body or the query string', async () => {
    const h = await harness();
    const form = (body: string, auth = basic(), query = '') =>
      fetch(`${h.sim.tokenUrl()}${query}`, { method: 'POST', headers: { authorization: auth, 'content-type': 'application/x-www-form-urlencoded' }, body });

    const good = await form(`grant_type=account_credentials&account_id=${CREDS.accountId}`);
    expect(good.status).toBe(200);
    expect(await good.json()).toEqual({
      access_token: expect.stringMatching(/^[\w-]{20,}$/),
      token_type: 'bearer',
      expires_in: 3600,
      scope: 'webinar:read:admin webinar:write:admin',
      api_url: h.base,
    });
    const viaQuery = await form('', basic(), `?grant_type=account_credentials&account_id=${CREDS.accountId}`);
    expect(viaQuery.status).toBe(200);

    const badClient = await form(`grant_type=account_credentials&account_id=${CREDS.accountId}`, basic(CREDS.clientId, 'wrong'));
    expect(badClient.status).toBe(401);
    expect(await badClient.json()).toEqual({ reason: 'Invalid client_id or client_secret', error: 'invalid_client' });
    const noAuth = await form(`grant_type=account_credentials&account_id=${CREDS.accountId}`, '');
    expect(noAuth.status).toBe(401);

    const badGrant = await form(`grant_type=client_credentials&account_id=${CREDS.accountId}`);
    expect(badGrant.status).toBe(400);
    expect(await badGrant.json()).toEqual({ reason: 'unsupported grant type', error: 'unsupported_grant_type' });

    const badAccount = await form('grant_type=account_credentials&account_id=someone-else');
    expect(badAccount.status).toBe(400);
    expect(await badAccount.json()).toEqual({ reason: 'Invalid account_id', error: 'invalid_request' });

    // harness token + good + viaQuery; failures are not counted
    expect(h.sim.tokenRequests()).toBe(3);
  });

  it('expires tokens by the simulator clock; several valid tokens coexist', async () => {
    const h = await harness({ tokenTtlSeconds: 60 });
    const w = h.sim.createWebinar({ topic: 'T' });
    const first = h.token;
    h.clock.ms += 30_000;
    const second = await h.newToken();
    expect((await h.call('GET', `/webinars/${w.id}`)).status).toBe(200);
    h.token = second;
    expect((await h.call('GET', `/webinars/${w.id}`)).status).toBe(200);

    h.clock.ms += 31_000; // first is 61 s old, second 31 s
    h.token = first;
    const expired = await h.call('GET', `/webinars/${w.id}`);
    expect(expired.status).toBe(401);
    expect(expired.body).toEqual({ code: 124, message: 'Invalid access token.' });
    h.token = second;
    expect((await h.call('GET', `/webinars/${w.id}`)).status).toBe(200);
  });

  it('answers every /v2 call without a valid bearer token with 401 code 124', async () => {
    const h = await harness();
    const w = h.sim.createWebinar({ topic: 'T', approval_type: 0 });
    for (const headers of [{ authorization: '' }, { authorization: 'Bearer not-a-token' }, { authorization: basic() }]) {
      const res = await h.call('POST', `/webinars/${w.id}/registrants`, person(1), headers);
      expect(res.status).toBe(401);
      expect(res.body).toEqual({ code: 124, message: 'Invalid access token.' });
    }
    expect(h.sim.registrants(String(w.id))).toHaveLength(0);
    expect(h.sim.requestLog().map((e) => e.status)).toEqual([401, 401, 401]);
  });
});

describe('webinars (FACTS §2.7)', () => {
  it('gets a webinar with settings and start_url, by id or uuid; unknown → 404 3001', async () => {
    const h = await harness();
    const w = h.sim.createWebinar({ topic: 'Algebra', approval_type: 1, registrants_restrict_number: 5, start_time: '2026-03-10T15:00:00Z', duration: 45 });
    expect(String(w.id)).toMatch(/^\d{10,11}$/);
    const got = await h.call('GET', `/webinars/${w.id}`);
    expect(got.status).toBe(200);
    expect(got.body).toMatchObject({ id: w.id, uuid: w.uuid, topic: 'Algebra', type: 5, start_time: '2026-03-10T15:00:00Z', duration: 45 });
    expect(got.body.settings).toMatchObject({ approval_type: 1, registrants_restrict_number: 5 });
    expect(got.body.start_url).toMatch(/\/s\//);
    // by UUID, single- or double-encoded (FACTS §2.8)
    expect((await h.call('GET', `/webinars/${encodeURIComponent(w.uuid)}`)).body.id).toBe(w.id);
    expect((await h.call('GET', `/webinars/${encodeURIComponent(encodeURIComponent(w.uuid))}`)).body.id).toBe(w.id);

    const missing = await h.call('GET', '/webinars/12345678901');
    expect(missing.status).toBe(404);
    expect(missing.body).toEqual({ code: 3001, message: 'Webinar "12345678901" not found or has expired.' });
  });

  it('creates webinars for a user (201, default approval_type 2), lists them with paging, 100 per user per day', async () => {
    const h = await harness();
    const created = await h.call('POST', '/users/me/webinars', { topic: 'Made via API', start_time: '2026-03-05T10:00:00Z', duration: 30 });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ topic: 'Made via API', type: 5, settings: { approval_type: 2 }, host_email: 'host@zoom-simulator.test' });
    expect(created.body.start_url).toEqual(expect.any(String));
    expect((await h.call('POST', '/users/nobody@example.org/webinars', { topic: 'x' })).body).toEqual({
      code: 1001,
      message: 'User "nobody@example.org" does not exist or does not belong to this account.',
    });

    for (let i = 1; i < 100; i++) expect((await h.call('POST', '/users/me/webinars', { topic: `W${i}` })).status).toBe(201);
    const over = await h.call('POST', '/users/host@zoom-simulator.test/webinars', { topic: 'one too many' });
    expect(over.status).toBe(429);
    expect(over.body.message).toBe(
      'You have exceeded the daily rate limit (100) of Meeting Create/Update API requests permitted for this particular user. You may resume these requests at GMT 00:00:00.',
    );
    expect(over.headers.get('retry-after')).toBe('2026-03-03T00:00:00Z');

    const page1 = await h.call('GET', '/users/me/webinars?page_size=60');
    expect(page1.body).toMatchObject({ total_records: 100, page_size: 60, page_count: 2 });
    expect(page1.body.webinars).toHaveLength(60);
    expect(page1.body.webinars[0]).not.toHaveProperty('start_url');
    const page2 = await h.call('GET', `/users/me/webinars?page_size=60&next_page_token=${page1.body.next_page_token}`);
    expect(page2.body.webinars).toHaveLength(40);
    expect(page2.body.next_page_token).toBe('');
  });

  it('reads and updates registration questions; update needs registration enabled', async () => {
    const h = await harness();
    const w = h.sim.createWebinar({ topic: 'Q', approval_type: 0 });
    expect((await h.call('GET', `/webinars/${w.id}/registrants/questions`)).body).toEqual({ questions: [], custom_questions: [] });
    const questions: ZoomRegistrationQuestions = {
      questions: [{ field_name: 'city', required: true }],
      custom_questions: [{ title: 'Level', type: 'single_dropdown', required: true, answers: ['Beginner', 'Advanced'] }],
    };
    expect((await h.call('PATCH', `/webinars/${w.id}/registrants/questions`, questions)).status).toBe(204);
    expect((await h.call('GET', `/webinars/${w.id}/registrants/questions`)).body).toEqual(questions);
    const bad = await h.call('PATCH', `/webinars/${w.id}/registrants/questions`, { questions: [{ field_name: 'shoe_size', required: true }] });
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe(300);

    const closed = h.sim.createWebinar({ topic: 'No registration' });
    const res = await h.call('PATCH', `/webinars/${closed.id}/registrants/questions`, questions);
    expect(res.body).toEqual({ code: 3000, message: `This webinar does not have registration as required: ${closed.id}.` });
  });
});

describe('adding registrants (FACTS §2.1, §7)', () => {
  it('approves on approval_type 0, leaves pending on 1, refuses on 2 with 3000', async () => {
    const h = await harness();
    const auto = h.sim.createWebinar({ topic: 'Auto', approval_type: 0, start_time: '2026-03-09T12:00:00Z' });
    const manual = h.sim.createWebinar({ topic: 'Manual', approval_type: 1 });
    const none = h.sim.createWebinar({ topic: 'None' });

    const a = await h.call('POST', `/webinars/${auto.id}/registrants`, person(1));
    expect(a.status).toBe(201);
    expect(a.body).toEqual({
      id: auto.id,
      registrant_id: expect.stringMatching(/^[\w-]{22}$/),
      join_url: expect.stringMatching(new RegExp(`^${h.base}/w/${auto.id}\\?tk=[\\w-]+$`)),
      topic: 'Auto',
      start_time: '2026-03-09T12:00:00Z',
      status: 'approved',
      share_url: expect.any(String),
    });
    expect(JSON.stringify(a.body)).not.toContain('/s/');

    const m = await h.call('POST', `/webinars/${manual.id}/registrants`, person(2));
    expect(m.body.status).toBe('pending');
    // status defaults to approved, so the pending registrant is invisible unless asked for (FACTS §2.3)
    expect((await h.call('GET', `/webinars/${manual.id}/registrants`)).body.total_records).toBe(0);
    const pending = await h.call('GET', `/webinars/${manual.id}/registrants?status=pending`);
    expect(pending.body.registrants.map((r: Json) => r.id)).toEqual([m.body.registrant_id]);

    const n = await h.call('POST', `/webinars/${none.id}/registrants`, person(3));
    expect(n.status).toBe(400);
    expect(n.body).toEqual({ code: 3000, message: `This webinar does not have registration as required: ${none.id}.` });
    expect(h.sim.registrants(String(none.id))).toHaveLength(0);
  });

  it('enforces required standard fields and custom questions, choices, lengths, email and name in one 300 answer', async () => {
    const h = await harness();
    const w = h.sim.createWebinar({
      topic: 'Questions',
      approval_type: 0,
      questions: {
        questions: [
          { field_name: 'city', required: true },
          { field_name: 'org', required: false },
        ],
        custom_questions: [
          { title: 'Level', type: 'single_radio', required: true, answers: ['Beginner', 'Advanced'] },
          { title: 'Why', type: 'short', required: true },
          { title: 'Optional', type: 'short', required: false },
        ],
      },
    });
    const res = await h.call('POST', `/webinars/${w.id}/registrants`, {
      email: 'not-an-email',
      custom_questions: [
        { title: 'Level', value: 'Expert' },
        { title: 'Optional', value: 'x'.repeat(129) },
      ],
      no_of_employees: '7',
    });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe(300);
    expect(res.body.message).toBe('Validation Failed.');
    expect(res.body.errors.map((e: Json) => e.field).sort()).toEqual(
      ['city', 'custom_questions.Level', 'custom_questions.Optional', 'custom_questions.Why', 'email', 'first_name', 'no_of_employees'].sort(),
    );
    expect((await h.call('POST', `/webinars/${w.id}/registrants`, { first_name: 'A' })).body.errors.map((e: Json) => e.field)).toContain('email');
    expect(h.sim.registrants(String(w.id))).toHaveLength(0);

    const ok = await h.call('POST', `/webinars/${w.id}/registrants`, {
      ...person(1),
      city: 'Lima',
      custom_questions: [
        { title: 'Level', value: 'Advanced' },
        { title: 'Why', value: 'To learn' },
        { title: 'Not asked', value: 'dropped' },
      ],
    });
    expect(ok.status).toBe(201);
    const got = await h.call('GET', `/webinars/${w.id}/registrants/${ok.body.registrant_id}`);
    expect(got.body).toMatchObject({ email: 'p1@example.org', first_name: 'P1', last_name: 'Test', city: 'Lima', status: 'approved', join_url: ok.body.join_url });
    expect(got.body.custom_questions).toEqual([
      { title: 'Level', value: 'Advanced' },
      { title: 'Why', value: 'To learn' },
    ]);
  });

  it('returns the same registrant for a duplicate email; refuses the host, an over webinar and bad occurrence ids', async () => {
    const h = await harness();
    const w = h.sim.createWebinar({ topic: 'Dup', approval_type: 0 });
    const first = await h.call('POST', `/webinars/${w.id}/registrants`, person(1));
    const again = await h.call('POST', `/webinars/${w.id}/registrants`, { ...person(1), email: 'P1@Example.org' });
    expect(again.status).toBe(201);
    expect(again.body.registrant_id).toBe(first.body.registrant_id);
    expect(again.body.join_url).toBe(first.body.join_url);
    expect(h.sim.registrants(String(w.id))).toHaveLength(1);

    const host = await h.call('POST', `/webinars/${w.id}/registrants`, { email: 'host@zoom-simulator.test', first_name: 'H' });
    expect(host.body).toEqual({ code: 3027, message: 'Host cannot register.' });

    const past = h.sim.createWebinar({ topic: 'Past', approval_type: 0, start_time: '2026-03-02T08:00:00Z', duration: 60 });
    const over = await h.call('POST', `/webinars/${past.id}/registrants`, person(2));
    expect(over.status).toBe(400);
    expect(over.body.code).toBe(3038);

    const bad = await h.call('POST', `/webinars/${w.id}/registrants?occurrence_ids=1`, person(3));
    expect(bad.body).toEqual({ code: 300, message: 'Invalid parameter: occurrence_ids.' });
  });

  it('attaches type-9 registrants to the chosen occurrences', async () => {
    const h = await harness();
    const w = h.sim.createWebinar({ topic: 'Weekly', type: 9, approval_type: 0, registration_type: 3, start_time: '2026-03-04T10:00:00Z' });
    expect(w.occurrences).toHaveLength(4);
    const [o1, , o3] = w.occurrences ?? [];
    const res = await h.call('POST', `/webinars/${w.id}/registrants?occurrence_ids=${o1?.occurrence_id},${o3?.occurrence_id}`, person(1));
    expect(res.status).toBe(201);
    expect(res.body.occurrences.map((o: Json) => o.occurrence_id)).toEqual([o1?.occurrence_id, o3?.occurrence_id]);
    const forO3 = await h.call('GET', `/webinars/${w.id}/registrants?occurrence_id=${o3?.occurrence_id}`);
    expect(forO3.body.total_records).toBe(1);
    expect((await h.call('GET', `/webinars/${w.id}/registrants?occurrence_id=${w.occurrences?.[1]?.occurrence_id}`)).body.total_records).toBe(0);
    expect((await h.call('POST', `/webinars/${w.id}/registrants?occurrence_ids=999`, person(2))).body.code).toBe(300);
  });

  it('allows 3 add requests per email per webinar per UTC day; the 4th is a 429 that changes nothing', async () => {
    const h = await harness();
    const w = h.sim.createWebinar({ topic: 'Daily', approval_type: 0 });
    // add + delete three times: each add counts, each delete frees the email again
    for (let i = 0; i < 3; i++) {
      const added = await h.call('POST', `/webinars/${w.id}/registrants`, person(1));
      expect(added.status).toBe(201);
      expect((await h.call('DELETE', `/webinars/${w.id}/registrants/${added.body.registrant_id}`)).status).toBe(204);
    }
    const fourth = await h.call('POST', `/webinars/${w.id}/registrants`, person(1));
    expect(fourth.status).toBe(429);
    expect(fourth.body).toEqual({
      code: 429,
      message:
        'You have exceeded the daily rate limit of "3" for Add a webinar registrant API requests for the registrant "p1@example.org". You can resume these API requests at GMT 00:00:00.',
    });
    expect(fourth.headers.get('x-ratelimit-type')).toBe('Daily-limit');
    expect(fourth.headers.get('retry-after')).toBe('2026-03-03T00:00:00Z');
    expect(h.sim.registrants(String(w.id))).toHaveLength(0);
    // other emails and other webinars have their own counts
    expect((await h.call('POST', `/webinars/${w.id}/registrants`, person(2))).status).toBe(201);

    h.clock.ms = Date.parse('2026-03-03T00:00:01Z');
    h.token = await h.newToken(); // 14 hours later the old token has expired
    expect((await h.call('POST', `/webinars/${w.id}/registrants`, person(1))).status).toBe(201);
  });

  it('counts batch registration toward the same daily limit', async () => {
    const h = await harness();
    const w = h.sim.createWebinar({ topic: 'Shared count', approval_type: 1 });
    await h.call('POST', `/webinars/${w.id}/registrants`, person(1));
    await h.call('POST', `/webinars/${w.id}/registrants`, person(1));
    expect((await h.call('POST', `/webinars/${w.id}/batch_registrants`, { registrants: [person(1)] })).status).toBe(201);
    const batch = await h.call('POST', `/webinars/${w.id}/batch_registrants`, { auto_approve: true, registrants: [person(2), person(1)] });
    expect(batch.status).toBe(429);
    expect(batch.body.message).toContain('Perform batch registration API requests for the registrant "p1@example.org"');
    // nothing of the refused batch happened: p2 not created, p1 still pending
    expect(h.sim.registrants(String(w.id)).map((r) => [r.email, r.status])).toEqual([['p1@example.org', 'pending']]);
  });
});

describe('registrant status (FACTS §2.4, §7 #3)', () => {
  it('approves pending, denies pending, cancels approved into denied; a denied email cannot come back until deleted', async () => {
    const h = await harness();
    const w = h.sim.createWebinar({ topic: 'Status', approval_type: 1 });
    const ids: string[] = [];
    for (const n of [1, 2, 3]) ids.push((await h.call('POST', `/webinars/${w.id}/registrants`, person(n))).body.registrant_id);
    const put = (action: string, registrants: unknown[]) => h.call('PUT', `/webinars/${w.id}/registrants/status`, { action, registrants });

    const approved = await put('approve', [{ id: ids[0] }, { email: 'p2@example.org' }, { id: 'unknown-id' }]);
    expect(approved.status).toBe(204);
    expect(approved.body).toBeUndefined();
    expect((await put('deny', [{ id: ids[2] }])).status).toBe(204);
    expect((await put('cancel', [{ id: ids[1] }])).status).toBe(204);
    const status = () => Object.fromEntries(h.sim.registrants(String(w.id)).map((r) => [r.email, r.status]));
    expect(status()).toEqual({ 'p1@example.org': 'approved', 'p2@example.org': 'denied', 'p3@example.org': 'denied' });

    const back = await h.call('POST', `/webinars/${w.id}/registrants`, person(2));
    expect(back.status).toBe(400);
    expect(back.body.code).toBe(3000);
    expect(back.body.message).toMatch(/p2@example\.org.*cannot register again/);

    expect((await h.call('DELETE', `/webinars/${w.id}/registrants/${ids[1]}`)).status).toBe(204);
    const again = await h.call('POST', `/webinars/${w.id}/registrants`, person(2));
    expect(again.status).toBe(201);
    expect(again.body.registrant_id).not.toBe(ids[1]);

    const unknown = await h.call('DELETE', `/webinars/${w.id}/registrants/nope`);
    expect(unknown.body).toEqual({ code: 3000, message: 'Registrant nope was not found.' });
    expect((await h.call('GET', `/webinars/${w.id}/registrants/nope`)).status).toBe(404);

    const tooMany = await put('approve', Array.from({ length: 31 }, (_, i) => ({ id: `r${i}` })));
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.code).toBe(300);
  });

  it('allows 10 status requests per registrant per day; the 11th is a 429 that changes nothing', async () => {
    const h = await harness();
    const w = h.sim.createWebinar({ topic: 'Status limit', approval_type: 1 });
    const id = (await h.call('POST', `/webinars/${w.id}/registrants`, person(1))).body.registrant_id;
    const other = (await h.call('POST', `/webinars/${w.id}/registrants`, person(2))).body.registrant_id;
    const put = (action: string, ...rids: string[]) => h.call('PUT', `/webinars/${w.id}/registrants/status`, { action, registrants: rids.map((r) => ({ id: r })) });
    // "cancel" of a pending registrant changes nothing but still counts
    for (let i = 0; i < 10; i++) expect((await put('cancel', id)).status).toBe(204);
    const eleventh = await put('approve', other, id);
    expect(eleventh.status).toBe(429);
    expect(eleventh.body.message).toBe(
      'You have exceeded the daily rate limit of "10" for webinar Update registrant\'s status API requests for the registrant "p1@example.org". You can resume these API requests at GMT 00:00:00.',
    );
    expect(eleventh.headers.get('retry-after')).toBe('2026-03-03T00:00:00Z');
    expect(h.sim.registrants(String(w.id)).map((r) => r.status)).toEqual(['pending', 'pending']);

    h.clock.ms = Date.parse('2026-03-03T09:00:00Z');
    h.token = await h.newToken();
    expect((await put('approve', other, id)).status).toBe(204);
    expect(h.sim.registrants(String(w.id)).map((r) => r.status)).toEqual(['approved', 'approved']);
  });

  it('enforces capacity: 3000 on add, 3035 on approve, 3043 on batch', async () => {
    const h = await harness();
    const auto = h.sim.createWebinar({ topic: 'Small', approval_type: 0, registrants_restrict_number: 1 });
    expect((await h.call('POST', `/webinars/${auto.id}/registrants`, person(1))).status).toBe(201);
    const full = await h.call('POST', `/webinars/${auto.id}/registrants`, person(2));
    expect(full.status).toBe(400);
    expect(full.body).toEqual({
      code: 3000,
      message: 'You have reached the limit for the number of attendees you can add. Contact Zoom Support for more information.',
    });

    const manual = h.sim.createWebinar({ topic: 'Small manual', approval_type: 1, registrants_restrict_number: 1 });
    const a = (await h.call('POST', `/webinars/${manual.id}/registrants`, person(1))).body.registrant_id;
    const b = (await h.call('POST', `/webinars/${manual.id}/registrants`, person(2))).body.registrant_id;
    const both = await h.call('PUT', `/webinars/${manual.id}/registrants/status`, { action: 'approve', registrants: [{ id: a }, { id: b }] });
    expect(both.status).toBe(400);
    expect(both.body).toEqual({ code: 3035, message: 'Webinar has reached maximum attendee capacity.' });
    expect(h.sim.registrants(String(manual.id)).map((r) => r.status)).toEqual(['pending', 'pending']);
    expect((await h.call('PUT', `/webinars/${manual.id}/registrants/status`, { action: 'approve', registrants: [{ id: a }] })).status).toBe(204);

    const batch = await h.call('POST', `/webinars/${manual.id}/batch_registrants`, { auto_approve: true, registrants: [person(3)] });
    expect(batch.status).toBe(404);
    expect(batch.body.code).toBe(3043);
  });
});

describe('batch registration (FACTS §2.2)', () => {
  it('registers up to 30 on a type-5 webinar, auto_approve approving on manual approval', async () => {
    const h = await harness();
    const w = h.sim.createWebinar({ topic: 'Batch', approval_type: 1 });
    const registrants = Array.from({ length: 30 }, (_, i) => ({ email: `b${i}@example.org`, first_name: `B${i}` }));
    const res = await h.call('POST', `/webinars/${w.id}/batch_registrants`, { auto_approve: true, registrants });
    expect(res.status).toBe(201);
    expect(res.body.registrants).toHaveLength(30);
    expect(res.body.registrants[0]).toEqual({ email: 'b0@example.org', join_url: expect.stringContaining(`/w/${w.id}?tk=`), registrant_id: expect.any(String) });
    expect(new Set(h.sim.registrants(String(w.id)).map((r) => r.status))).toEqual(new Set(['approved']));

    const plain = await h.call('POST', `/webinars/${w.id}/batch_registrants`, { registrants: [person('x')] });
    expect(plain.status).toBe(201);
    expect(h.sim.registrants(String(w.id)).find((r) => r.email === 'px@example.org')?.status).toBe('pending');

    const tooMany = await h.call('POST', `/webinars/${w.id}/batch_registrants`, { registrants: [...registrants, person(99)] });
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.code).toBe(300);
    expect(h.sim.registrants(String(w.id))).toHaveLength(31);

    const recurring = h.sim.createWebinar({ topic: 'Recurring', type: 9, approval_type: 0, start_time: '2026-03-04T10:00:00Z' });
    const notType5 = await h.call('POST', `/webinars/${recurring.id}/batch_registrants`, { registrants: [person(1)] });
    expect(notType5.status).toBe(400);
    expect(notType5.body.code).toBe(300);
    expect(notType5.body.message).toMatch(/type 5/);
    const none = h.sim.createWebinar({ topic: 'None' });
    expect((await h.call('POST', `/webinars/${none.id}/batch_registrants`, { registrants: [person(1)] })).body.code).toBe(3000);
  });
});

describe('listing registrants (FACTS §2.3)', () => {
  it('pages 700 approved registrants 300 at a time with opaque tokens bound to the query', async () => {
    const h = await harness();
    const w = h.sim.createWebinar({ topic: 'Big', approval_type: 0 });
    for (let i = 0; i < 700; i++) h.sim.addRegistrantDirectly(String(w.id), { email: `s${i}@example.org`, first_name: `S${i}` });
    const manual = h.sim.createWebinar({ topic: 'Other', approval_type: 1 });
    h.sim.addRegistrantDirectly(String(manual.id), person(1));

    const seen: string[] = [];
    const sizes: number[] = [];
    let token = '';
    let pages = 0;
    do {
      const res = await h.call('GET', `/webinars/${w.id}/registrants?page_size=300${token ? `&next_page_token=${token}` : ''}`);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ total_records: 700, page_count: 3, page_size: 300 });
      sizes.push(res.body.registrants.length);
      seen.push(...res.body.registrants.map((r: Json) => r.id));
      if (pages === 0) {
        // a token only works with the query it came from
        const other = await h.call('GET', `/webinars/${w.id}/registrants?status=pending&next_page_token=${res.body.next_page_token}`);
        expect(other.status).toBe(400);
      }
      token = res.body.next_page_token;
      pages++;
    } while (token !== '' && pages < 10);
    expect(sizes).toEqual([300, 300, 100]);
    expect(new Set(seen).size).toBe(700);

    const byDefault = await h.call('GET', `/webinars/${w.id}/registrants`);
    expect(byDefault.body.registrants).toHaveLength(30);
    expect(byDefault.body.page_size).toBe(30);
    expect((await h.call('GET', `/webinars/${manual.id}/registrants`)).body.total_records).toBe(0);
    expect((await h.call('GET', `/webinars/${w.id}/registrants?page_size=1000`)).body.page_size).toBe(300);

    h.clock.ms += 15 * 60_000 + 1000;
    const stale = await h.call('GET', `/webinars/${w.id}/registrants?next_page_token=${byDefault.body.next_page_token}`);
    expect(stale.status).toBe(400);
    expect(stale.body.code).toBe(300);
  });
});

describe('per-second label limits (FACTS §3.1, §3.4)', () => {
  it('answers 429 with the QPS headers over the label rate, per label bucket', async () => {
    const h = await harness({ plan: 'free', enforceRateLimits: true });
    const w = h.sim.createWebinar({ topic: 'Busy', approval_type: 0 });
    // free plan: medium 2/s — three list calls at once, one refused
    const results = await Promise.all([1, 2, 3].map(() => h.call('GET', `/webinars/${w.id}/registrants`)));
    const refused = results.filter((r) => r.status === 429);
    expect(results.filter((r) => r.status === 200)).toHaveLength(2);
    expect(refused).toHaveLength(1);
    expect(refused[0]?.body).toEqual({ code: 429, message: 'You have reached the maximum per-second rate limit for this API. Try again later.' });
    const headers = refused[0]?.headers;
    expect([headers?.get('x-ratelimit-category'), headers?.get('x-ratelimit-type'), headers?.get('x-ratelimit-limit'), headers?.get('x-ratelimit-remaining')]).toEqual([
      'Medium',
      'QPS',
      '2',
      '0',
    ]);
    // a Light call is another bucket
    const light = await h.call('GET', `/webinars/${w.id}`);
    expect(light.status).toBe(200);
    expect([light.headers.get('x-ratelimit-category'), light.headers.get('x-ratelimit-limit'), light.headers.get('x-ratelimit-remaining')]).toEqual(['Light', '4', '3']);

    // the window slides: within about a second medium calls pass again
    const deadline = Date.now() + 2000;
    let status = 429;
    while (status === 429 && Date.now() < deadline) {
      await sleep(50);
      status = (await h.call('GET', `/webinars/${w.id}/registrants`)).status;
    }
    expect(status).toBe(200);
  });

  it('scales the label rates with rateScale', async () => {
    const h = await harness({ plan: 'pro', rateScale: 0.1, enforceRateLimits: true });
    const w = h.sim.createWebinar({ topic: 'Scaled', approval_type: 0 });
    const results = await Promise.all(Array.from({ length: 4 }, () => h.call('GET', `/webinars/${w.id}`)));
    expect(results.map((r) => r.status).sort()).toEqual([200, 200, 200, 429]);
  });

  it('logs every /v2 request with its route pattern and label', async () => {
    const h = await harness();
    const w = h.sim.createWebinar({ topic: 'Log', approval_type: 1 });
    const rid = (await h.call('POST', `/webinars/${w.id}/registrants`, person(1))).body.registrant_id;
    await h.call('POST', `/webinars/${w.id}/batch_registrants`, { registrants: [person(2)] });
    await h.call('GET', `/webinars/${w.id}/registrants`);
    await h.call('PUT', `/webinars/${w.id}/registrants/status`, { action: 'approve', registrants: [{ id: rid }] });
    await h.call('GET', `/webinars/${w.id}/registrants/${rid}`);
    await h.call('GET', `/webinars/${w.id}/registrants/questions`);
    await h.call('GET', `/webinars/${w.id}`);
    await h.call('GET', '/users/me/webinars');
    expect(h.sim.requestLog().map((e) => [e.method, e.path, e.label, e.status])).toEqual([
      ['POST', '/webinars/:webinarId/registrants', 'light', 201],
      ['POST', '/webinars/:webinarId/batch_registrants', 'heavy', 201],
      ['GET', '/webinars/:webinarId/registrants', 'medium', 200],
      ['PUT', '/webinars/:webinarId/registrants/status', 'medium', 204],
      ['GET', '/webinars/:webinarId/registrants/:registrantId', 'light', 200],
      ['GET', '/webinars/:webinarId/registrants/questions', 'light', 200],
      ['GET', '/webinars/:webinarId', 'light', 200],
      ['GET', '/users/:userId/webinars', 'medium', 200],
    ]);
    const at = h.sim.requestLog().map((e) => e.at);
    expect(at).toEqual([...at].sort((x, y) => x - y));
  });
});

interface Received {
  headers: IncomingHttpHeaders;
  raw: string;
  body: Json;
}

/** A webhook receiver on a random port; `answer` decides each response's status. */
async function receiver(answer: (body: Json, count: number) => number | { status: number; body: unknown } = () => 200) {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const body = JSON.parse(raw);
      received.push({ headers: req.headers, raw, body });
      const out = answer(body, received.length);
      const reply = typeof out === 'number' ? { status: out, body: {} } : out;
      res.writeHead(reply.status, { 'content-type': 'application/json' }).end(JSON.stringify(reply.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => new Promise((resolve) => server.close(resolve)));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, received };
}

describe('webhooks (FACTS §5)', () => {
  it('posts signed registration_created and registration_approved events after the change', async () => {
    const hook = await receiver();
    const secret = 'whsec-test';
    const h = await harness({ webhook: { url: hook.url, secretToken: secret } });
    const w = h.sim.createWebinar({ topic: 'Hooked', approval_type: 1, start_time: '2026-03-09T12:00:00Z', timezone: 'Europe/Paris' });
    const added = await h.call('POST', `/webinars/${w.id}/registrants`, person(1));
    await waitFor(() => hook.received.length === 1, 'registration_created');
    await h.call('PUT', `/webinars/${w.id}/registrants/status`, { action: 'approve', registrants: [{ id: added.body.registrant_id }] });
    await waitFor(() => hook.received.length === 2, 'registration_approved');

    for (const event of hook.received) {
      const ts = String(event.headers['x-zm-request-timestamp']);
      expect(signatureMatches(secret, ts, event.raw, String(event.headers['x-zm-signature']))).toBe(true);
      expect(signatureMatches('other-secret', ts, event.raw, String(event.headers['x-zm-signature']))).toBe(false);
      expect(Number(ts)).toBe(Math.floor(START / 1000));
      expect(event.headers['user-agent']).toBe('Zoom Marketplace/1.0a');
      expect(event.headers['x-zm-request-id']).toEqual(expect.any(String));
    }
    const [created, approved] = hook.received.map((r) => r.body);
    expect(created).toMatchObject({
      event: 'webinar.registration_created',
      event_ts: START,
      payload: {
        account_id: CREDS.accountId,
        object: {
          id: w.id,
          uuid: w.uuid,
          topic: 'Hooked',
          start_time: '2026-03-09T12:00:00Z',
          timezone: 'Europe/Paris',
          registrant: { id: added.body.registrant_id, email: 'p1@example.org', first_name: 'P1', last_name: 'Test', status: 'pending', join_url: added.body.join_url },
        },
      },
    });
    expect(approved).toMatchObject({
      event: 'webinar.registration_approved',
      payload: { operator: 'host@zoom-simulator.test', operator_id: 'sim-host', object: { registrant: { id: added.body.registrant_id, status: 'approved' } } },
    });
    expect(h.sim.webhookDeliveries().map((d) => [d.event, d.status])).toEqual([
      ['webinar.registration_created', 200],
      ['webinar.registration_approved', 200],
    ]);
  });

  it('emits denied and cancelled for host actions in the portal and retries a failing receiver', async () => {
    const hook = await receiver((_body, count) => (count === 1 ? 503 : 200));
    const h = await harness();
    h.sim.setWebhookTarget(hook.url, 's');
    const w = h.sim.createWebinar({ topic: 'Portal', approval_type: 1 });
    const r1 = h.sim.addRegistrantDirectly(String(w.id), person(1));
    await waitFor(() => h.sim.webhookDeliveries().length === 2, 'a retried delivery');
    expect(h.sim.webhookDeliveries().map((d) => [d.event, d.status, d.attempt])).toEqual([
      ['webinar.registration_created', 503, 1],
      ['webinar.registration_created', 200, 2],
    ]);
    h.sim.setRegistrantStatus(String(w.id), r1.id, 'approve');
    h.sim.setRegistrantStatus(String(w.id), r1.id, 'cancel');
    const r2 = h.sim.addRegistrantDirectly(String(w.id), person(2));
    h.sim.setRegistrantStatus(String(w.id), r2.id, 'deny');
    await h.sim.webhooksSettled();
    expect(hook.received.map((r) => r.body.event).slice(2).sort()).toEqual(
      ['webinar.registration_approved', 'webinar.registration_cancelled', 'webinar.registration_created', 'webinar.registration_denied'].sort(),
    );
    expect(h.sim.registrants(String(w.id)).map((r) => r.status)).toEqual(['denied', 'denied']);
    expect(h.sim.requestLog()).toEqual([]); // portal actions are not API calls
    expect(() => h.sim.setRegistrantStatus(String(w.id), 'missing', 'approve')).toThrow(/not found/);
  });

  it('sends the endpoint.url_validation challenge and checks the answer', async () => {
    const hook = await receiver((body) => ({ status: 200, body: urlValidationResponse('s3cret', body.payload.plainToken) }));
    const h = await harness({ webhook: { url: hook.url, secretToken: 's3cret' } });
    expect(await h.sim.validateWebhookTarget()).toEqual({ ok: true, status: 200 });
    h.sim.setWebhookTarget(hook.url, 'another');
    expect((await h.sim.validateWebhookTarget()).ok).toBe(false);
  });
});

describe('fault injection', () => {
  it("'before' fails without the change, 'after' makes the change and still fails", async () => {
    const h = await harness();
    const w = h.sim.createWebinar({ topic: 'Faults', approval_type: 0 });
    h.sim.injectFault({ kind: 'http_500', match: { method: 'POST', path: '/webinars/:webinarId/registrants' }, times: 1 });
    const before = await h.call('POST', `/webinars/${w.id}/registrants`, person(1));
    expect(before.status).toBe(500);
    expect(h.sim.registrants(String(w.id))).toHaveLength(0);
    expect((await h.call('POST', `/webinars/${w.id}/registrants`, person(1))).status).toBe(201);

    h.sim.injectFault({ kind: 'http_503', when: 'after', match: { label: 'light', path: '/registrants' } });
    const after = await h.call('POST', `/webinars/${w.id}/registrants`, person(2));
    expect(after.status).toBe(503);
    expect(h.sim.registrants(String(w.id)).map((r) => r.email)).toEqual(['p1@example.org', 'p2@example.org']);
    // pattern matching: the fault does not touch GET /webinars/:webinarId
    expect((await h.call('GET', `/webinars/${w.id}`)).status).toBe(200);
    h.sim.clearFaults();
    expect((await h.call('POST', `/webinars/${w.id}/registrants`, person(3))).status).toBe(201);
  });

  it("'reset' drops the connection (before: no change; after: changed), 'token_expired' answers 401 124, times is honoured", async () => {
    const h = await harness();
    const w = h.sim.createWebinar({ topic: 'Resets', approval_type: 0 });
    h.sim.injectFault({ kind: 'reset', times: 1, match: { path: '/webinars/:webinarId/registrants', method: 'POST' } });
    await expect(h.call('POST', `/webinars/${w.id}/registrants`, person(1))).rejects.toThrow(/fetch failed/);
    expect(h.sim.registrants(String(w.id))).toHaveLength(0);
    h.sim.injectFault({ kind: 'reset', when: 'after', times: 1 });
    await expect(h.call('POST', `/webinars/${w.id}/registrants`, person(1))).rejects.toThrow(/fetch failed/);
    expect(h.sim.registrants(String(w.id))).toHaveLength(1);
    expect(h.sim.requestLog().map((e) => e.status)).toEqual([0, 0]);

    h.sim.injectFault({ kind: 'token_expired', times: 2 });
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) statuses.push((await h.call('GET', `/webinars/${w.id}`)).status);
    expect(statuses).toEqual([401, 401, 200]);
  });

  it("'slow' delays the answer and the change still happens; probability 0 never fires", async () => {
    const h = await harness();
    const w = h.sim.createWebinar({ topic: 'Slow', approval_type: 0 });
    h.sim.injectFault({ kind: 'http_500', probability: 0 });
    h.sim.injectFault({ kind: 'slow', delayMs: 150, times: 1 });
    const started = performance.now();
    const res = await h.call('POST', `/webinars/${w.id}/registrants`, person(1));
    expect(res.status).toBe(201);
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
    expect(h.sim.registrants(String(w.id))).toHaveLength(1);
    expect(() => h.sim.injectFault({ kind: 'explode' as 'reset' })).toThrow(/Validation Failed/);
  });
});

describe('control plane over HTTP and the join page', () => {
  it('drives the simulator through /_sim/ and lands join URLs on a page', async () => {
    const hook = await receiver();
    const h = await harness();
    const sim = (method: string, path: string, body?: unknown) =>
      fetch(`${h.base}/_sim${path}`, { method, ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }) });

    const created = await sim('POST', '/webinars', { topic: 'Remote', approval_type: 1, host_email: 'teacher@example.org' });
    expect(created.status).toBe(201);
    const w = (await created.json()) as Json;
    expect(w.host_email).toBe('teacher@example.org');
    expect((await sim('POST', '/webinars', { topic: '' })).status).toBe(400);
    expect((await sim('POST', '/webhook', { url: hook.url, secretToken: 'abc' })).status).toBe(204);

    const added = await sim('POST', `/webinars/${w.id}/registrants`, person(1));
    expect(added.status).toBe(201);
    const registrant = (await added.json()) as Json;
    expect(registrant.status).toBe('pending');
    const page = (url: string) => fetch(url).then(async (r) => ({ status: r.status, text: await r.text() }));
    expect((await page(registrant.join_url)).status).toBe(403);

    expect((await sim('POST', `/webinars/${w.id}/registrants/${registrant.id}/status`, { action: 'approve' })).status).toBe(204);
    const listed = (await (await sim('GET', `/webinars/${w.id}/registrants`)).json()) as Json;
    expect(listed.registrants.map((r: Json) => r.status)).toEqual(['approved']);
    const joined = await page(registrant.join_url);
    expect(joined).toEqual({ status: 200, text: expect.stringContaining('Joined Remote as P1 Test') });
    expect((await page(`${h.base}/w/${w.id}?tk=forged`)).status).toBe(403);

    expect((await sim('PUT', `/webinars/${w.id}/questions`, { questions: [{ field_name: 'city', required: true }] })).status).toBe(204);
    expect((await h.call('GET', `/webinars/${w.id}/registrants/questions`)).body.questions).toEqual([{ field_name: 'city', required: true }]);

    const fault = await sim('POST', '/faults', { kind: 'http_500', match: { path: '/webinars/:webinarId' } });
    expect(((await fault.json()) as Json).id).toEqual(expect.any(String));
    expect((await h.call('GET', `/webinars/${w.id}`)).status).toBe(500);
    expect((await sim('DELETE', '/faults')).status).toBe(204);
    expect((await h.call('GET', `/webinars/${w.id}`)).status).toBe(200);

    await waitFor(() => hook.received.length === 2, 'created and approved events');
    const log = (await (await sim('GET', '/log')).json()) as Json;
    expect(log.requests.map((e: Json) => [e.path, e.status])).toEqual([
      ['/webinars/:webinarId/registrants/questions', 200],
      ['/webinars/:webinarId', 500],
      ['/webinars/:webinarId', 200],
    ]);
    const stats = (await (await sim('GET', '/stats')).json()) as Json;
    expect(stats).toMatchObject({ tokenRequests: 1, requests: { light: 3, medium: 0, heavy: 0, total: 3 } });
    expect(stats.webhookDeliveries).toHaveLength(2);

    expect((await sim('POST', '/reset')).status).toBe(204);
    expect((await h.call('GET', `/webinars/${w.id}`)).status).toBe(404);
    expect(h.sim.requestLog()).toHaveLength(1);
    expect(h.sim.tokenRequests()).toBe(0);
  });

  it('starts standalone on a port and keeps state in a file across restarts', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'zoom-sim-'));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    const stateFile = join(dir, 'state.json');
    const first = await startStandaloneSimulator({ ...CREDS, port: 0, stateFile });
    expect(first.apiBaseUrl()).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v2$/);
    const w = first.createWebinar({ topic: 'Persisted', approval_type: 1, questions: { questions: [{ field_name: 'city', required: false }] } });
    const r = first.addRegistrantDirectly(String(w.id), person(1));
    await first.close();

    const second = await createZoomSimulator({ ...CREDS, stateFile });
    cleanups.push(() => second.close());
    expect(second.registrants(String(w.id))).toEqual([expect.objectContaining({ id: r.id, email: 'p1@example.org', status: 'pending' })]);
    const res = await second.app.inject({ url: `/v2/webinars/${w.id}/registrants/questions`, headers: { authorization: 'Bearer stale' } });
    expect(res.statusCode).toBe(401);
    expect(second.createWebinar({ topic: 'New' }).id).not.toBe(w.id);
  });
});
