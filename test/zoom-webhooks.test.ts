import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signWebhook } from '../src/zoom/webhook-signature.js';
import { createTestContext, type TestContext } from './support/context.js';
import { createAdmin, createClass, createStudent, type TestUser } from './support/factories.js';
import { waitFor } from './support/wait.js';

let ctx: TestContext;
let admin: TestUser;
let secret: string;

beforeAll(async () => {
  ctx = await createTestContext();
  admin = await createAdmin(ctx);
  secret = ctx.config.zoom.webhookSecretToken;
});
afterAll(() => ctx.close());

const nowSeconds = () => String(Math.floor(Date.now() / 1000));

function deliver(body: object | string, options: { secret?: string; timestamp?: string; signature?: string } = {}) {
  const raw = typeof body === 'string' ? body : JSON.stringify(body);
  const timestamp = options.timestamp ?? nowSeconds();
  return ctx.app.inject({
    method: 'POST',
    url: '/zoom/webhook/',
    headers: {
      'content-type': 'application/json; charset=utf-8',
      'x-zm-request-timestamp': timestamp,
      'x-zm-signature': options.signature ?? signWebhook(options.secret ?? secret, timestamp, raw),
    },
    payload: raw,
  });
}

const storedEvents = async () => ctx.database.db.selectFrom('zoom_webhook_events').selectAll().orderBy('id').execute();

/** A linked webinar and a student's registration row in state `pending`, as the pipeline would leave it. */
async function pendingRegistration() {
  const cls = await createClass(ctx, admin);
  const webinar = ctx.zoom.createWebinar({ topic: 'Webhook class', approval_type: 1 });
  const link = await ctx.app.inject({ method: 'POST', url: `/edu_admin/classes/${cls.id}/webinars/`, headers: admin.auth, payload: { zoom_webinar_id: String(webinar.id) } });
  expect(link.statusCode).toBe(201);
  const student = await createStudent(ctx);
  const registrant = ctx.zoom.addRegistrantDirectly(String(webinar.id), { email: student.email, first_name: 'Test', last_name: 'student' });
  const row = await ctx.database.db
    .insertInto('zoom_webinar_registrations')
    .values({ student_id: student.id, webinar_id: link.json().id, email: student.email, status: 'pending', zoom_registrant_id: registrant.id, join_url: registrant.join_url })
    .returningAll()
    .executeTakeFirstOrThrow();
  return { webinar, registrant, row };
}

const registrationStatus = async (id: number) =>
  (await ctx.database.db.selectFrom('zoom_webinar_registrations').select(['status', 'approved_at']).where('id', '=', id).executeTakeFirstOrThrow());

describe('POST /zoom/webhook/', () => {
  it('answers endpoint.url_validation with the HMAC of the plain token', async () => {
    const res = await deliver({ event: 'endpoint.url_validation', event_ts: Date.now(), payload: { plainToken: 'qgg8vlvZRS6UYooatFL8Aw' } });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ plainToken: 'qgg8vlvZRS6UYooatFL8Aw', encryptedToken: createHmac('sha256', secret).update('qgg8vlvZRS6UYooatFL8Aw').digest('hex') });
  });

  it('refuses forged, stale and unsigned deliveries with 401 and stores nothing', async () => {
    const before = (await storedEvents()).length;
    const event = { event: 'webinar.registration_approved', event_ts: Date.now(), payload: { object: { id: 1, registrant: { id: 'r', email: 'x@y.z', first_name: 'X' } } } };
    const forged = await deliver(event, { secret: 'not-the-secret' });
    const stale = await deliver(event, { timestamp: String(Math.floor(Date.now() / 1000) - 301) });
    const tampered = await deliver(event, { signature: signWebhook(secret, nowSeconds(), JSON.stringify({ ...event, event_ts: 1 })) });
    const unsigned = await ctx.app.inject({ method: 'POST', url: '/zoom/webhook/', headers: { 'content-type': 'application/json' }, payload: event });
    for (const res of [forged, stale, tampered, unsigned]) {
      expect(res.statusCode).toBe(401);
      expect(res.json().code).toBe('webhook_signature_invalid');
    }
    expect((await storedEvents()).length).toBe(before);
  });

  it('stores a signed event, applies it to the registration, and ignores a redelivery', async () => {
    const { webinar, registrant, row } = await pendingRegistration();
    const event = {
      event: 'webinar.registration_approved',
      event_ts: Date.now(),
      payload: { account_id: 'acc', operator: 'host@example.org', object: { id: webinar.id, uuid: webinar.uuid, topic: webinar.topic, registrant: { id: registrant.id, email: registrant.email, first_name: 'Test', join_url: registrant.join_url } } },
    };
    const first = await deliver(event);
    expect(first.statusCode).toBe(200);
    expect(first.json()).toEqual({ status: 'received' });
    const again = await deliver(event);
    expect(again.json()).toEqual({ status: 'duplicate' });
    expect((await storedEvents()).filter((e) => e.event === 'webinar.registration_approved')).toHaveLength(1);

    await waitFor(async () => (await registrationStatus(row.id)).status === 'approved');
    expect((await registrationStatus(row.id)).approved_at).toBeInstanceOf(Date);
    const stored = (await storedEvents()).find((e) => e.event === 'webinar.registration_approved')!;
    expect(stored.processed_at).toBeInstanceOf(Date);
    expect(stored.outcome).toBe(`registration ${row.id}: pending → approved`);
  });

  it('shows an approval a host makes in the Zoom portal (simulator → signed webhook over HTTP)', async () => {
    await ctx.listen();
    const { webinar, registrant, row } = await pendingRegistration();
    ctx.zoom.setRegistrantStatus(String(webinar.id), registrant.id, 'approve');
    await waitFor(async () => (await registrationStatus(row.id)).status === 'approved');
    ctx.zoom.setRegistrantStatus(String(webinar.id), registrant.id, 'cancel');
    await waitFor(async () => (await registrationStatus(row.id)).status === 'cancelled');
  });

  it('records why an event about a webinar we do not link was ignored', async () => {
    const event = { event: 'webinar.updated', event_ts: Date.now(), payload: { object: { id: 999999999, topic: 'Nobody links this' } } };
    expect((await deliver(event)).statusCode).toBe(200);
    // Applied after the answer, by this process's pass (a concurrent pass skips rows it holds).
    const outcome = async () => (await storedEvents()).find((e) => e.event === 'webinar.updated')?.outcome;
    await waitFor(async () => (await outcome()) !== null && (await outcome()) !== undefined);
    expect(await outcome()).toBe('ignored: webinar 999999999 is not linked');
  });
});
