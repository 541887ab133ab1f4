import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.js';
import { startInboxHub } from '../src/notifications/realtime.js';
import { createTestContext, type TestContext } from './support/context.js';
import { createAdmin, createClass, createStudent, paidReceipt, type TestUser } from './support/factories.js';
import { openStream } from './support/sse.js';

let ctx: TestContext;
let admin: TestUser;
let baseUrl: string;

beforeAll(async () => {
  ctx = await createTestContext();
  admin = await createAdmin(ctx);
  baseUrl = await ctx.listen();
});
afterAll(() => ctx.close());

const get = (url: string, user: TestUser) => ctx.app.inject({ url, headers: user.auth });
const post = (url: string, user: TestUser, payload?: object) => ctx.app.inject({ method: 'POST', url, headers: user.auth, ...(payload ? { payload } : {}) });
const inbox = async (user: TestUser, query = '') => (await get(`/students/notifications/${query}`, user)).json();

/** Writes a notification through the one notify path, as a domain event would. */
async function notifyAnnouncement(user: TestUser, key: string, message = `Message ${key}`) {
  return ctx.database.db.transaction().execute((trx) =>
    ctx.services.notifier.notify(trx, { userId: user.id, type: 'announcement', title: `Title ${key}`, message, data: { broadcast_id: 0, class_id: null }, dedupeKey: key }),
  );
}

describe('verify and reject notify the student', () => {
  it('verify → "Class Enrollment Confirmed" once, with an email queued once', async () => {
    const student = await createStudent(ctx);
    const cls = await createClass(ctx, admin, { title: 'Statistics 101' });
    const payment = await paidReceipt(ctx, student, { classIds: [cls.id] });
    await post(`/edu_admin/receipt-payments/${payment}/verify/`, admin);
    await post(`/edu_admin/receipt-payments/${payment}/verify/`, admin);
    const body = await inbox(student);
    expect(body.unread_count).toBe(1);
    expect(body.notifications).toHaveLength(1);
    expect(body.notifications[0]).toMatchObject({ type: 'class_enrollment', title: 'Class Enrollment Confirmed', is_read: false, data: { class_id: cls.id, class_title: 'Statistics 101', payment_id: payment } });
    expect(body.notifications[0].message).toContain('Statistics 101');
    const deliveries = await ctx.database.db.selectFrom('notification_deliveries').selectAll().where('notification_id', '=', body.notifications[0].id).execute();
    expect(deliveries).toHaveLength(1);
    expect(deliveries[0]).toMatchObject({ channel: 'email', recipient: student.email });
  });

  it('reject → the reason reaches the student', async () => {
    const student = await createStudent(ctx);
    const cls = await createClass(ctx, admin);
    const payment = await paidReceipt(ctx, student, { classIds: [cls.id] });
    await post(`/edu_admin/receipt-payments/${payment}/reject/`, admin, { reason: 'The reference does not match our bank statement' });
    const [n] = (await inbox(student)).notifications;
    expect(n).toMatchObject({ type: 'payment_rejected', data: { payment_id: payment, reason: 'The reference does not match our bank statement' }, action_url: '/payments' });
    expect(n.message).toContain('The reference does not match our bank statement');
  });
});

describe('the one way to notify', () => {
  it('makes one notification and one email for one dedupe key, however many callers race', async () => {
    const student = await createStudent(ctx);
    const results = await Promise.all(Array.from({ length: 10 }, () => notifyAnnouncement(student, `race:${student.id}`)));
    expect(results.filter(Boolean)).toHaveLength(1);
    const rows = await ctx.database.db.selectFrom('notifications').select('id').where('dedupe_key', '=', `race:${student.id}`).execute();
    expect(rows).toHaveLength(1);
    const deliveries = await ctx.database.db.selectFrom('notification_deliveries').select('id').where('notification_id', '=', rows[0]!.id).execute();
    expect(deliveries).toHaveLength(1);
  });

  it('writes nothing when the surrounding transaction rolls back', async () => {
    const student = await createStudent(ctx);
    await expect(
      ctx.database.db.transaction().execute(async (trx) => {
        await ctx.services.notifier.notify(trx, { userId: student.id, type: 'announcement', title: 'T', message: 'M', data: { broadcast_id: 0, class_id: null }, dedupeKey: `rollback:${student.id}` });
        throw new Error('the event failed');
      }),
    ).rejects.toThrow('the event failed');
    expect((await inbox(student)).notifications).toEqual([]);
  });
});

describe('inbox API', () => {
  it('pages newest first with a stable cursor while new notifications arrive', async () => {
    const student = await createStudent(ctx);
    for (let i = 0; i < 25; i++) await notifyAnnouncement(student, `page:${student.id}:${i}`);
    const seen: number[] = [];
    let cursor: string | null = null;
    let page = 0;
    do {
      const body = await inbox(student, `?limit=10${cursor ? `&cursor=${cursor}` : ''}`);
      seen.push(...body.notifications.map((n: { id: number }) => n.id));
      cursor = body.next_cursor;
      // Someone keeps notifying while the student scrolls.
      await notifyAnnouncement(student, `page:${student.id}:late:${page++}`);
    } while (cursor);
    expect(seen).toHaveLength(25);
    expect(new Set(seen).size).toBe(25);
    expect([...seen].sort((a, b) => b - a)).toEqual(seen);
    const bad = await get('/students/notifications/?cursor=garbage', student);
    expect(bad.statusCode).toBe(400);
    expect((await get('/students/notifications/?limit=101', student)).statusCode).toBe(400);
  });

  it('cuts the preview at a word boundary', async () => {
    const student = await createStudent(ctx);
    await notifyAnnouncement(student, `preview:${student.id}`, `${'word '.repeat(40)}end`);
    const [n] = (await inbox(student)).notifications;
    expect(n.preview.length).toBeLessThanOrEqual(101);
    expect(n.preview).toMatch(/word…$/);
  });

  it('keeps unread counts right through read, unread and read-all, and filters unread', async () => {
    const student = await createStudent(ctx);
    for (let i = 0; i < 3; i++) await notifyAnnouncement(student, `count:${student.id}:${i}`);
    const ids = (await inbox(student)).notifications.map((n: { id: number }) => n.id);
    expect((await get('/students/notifications/unread-count/', student)).json()).toEqual({ unread_count: 3 });
    const read = await post(`/students/notifications/${ids[0]}/read/`, student);
    expect(read.json()).toMatchObject({ notification: { id: ids[0], is_read: true }, unread_count: 2 });
    expect((await post(`/students/notifications/${ids[0]}/read/`, student)).json().unread_count).toBe(2);
    expect((await inbox(student, '?unread=true')).notifications.map((n: { id: number }) => n.id)).toEqual(ids.slice(1));
    expect((await post(`/students/notifications/${ids[0]}/unread/`, student)).json().unread_count).toBe(3);
    expect((await post('/students/notifications/read-all/', student)).json()).toEqual({ marked_read: 3, unread_count: 0 });
    expect((await inbox(student)).unread_count).toBe(0);
  });

  it("never shows one user's notifications to another (404), and needs a sign-in", async () => {
    const a = await createStudent(ctx);
    const b = await createStudent(ctx);
    const n = await notifyAnnouncement(a, `private:${a.id}`);
    expect((await post(`/students/notifications/${n!.id}/read/`, b)).statusCode).toBe(404);
    expect((await post(`/students/notifications/${n!.id}/unread/`, b)).statusCode).toBe(404);
    expect((await inbox(b)).notifications).toEqual([]);
    expect((await ctx.app.inject({ url: '/students/notifications/' })).statusCode).toBe(401);
    // Admins have an inbox too: their own.
    expect((await get('/students/notifications/', admin)).statusCode).toBe(200);
  });
});

describe('live stream', () => {
  it('reaches every open tab of the user, and no one else', async () => {
    const student = await createStudent(ctx);
    const other = await createStudent(ctx);
    const tab1 = await openStream(`${baseUrl}/students/notifications/stream/`, student.auth);
    const tab2 = await openStream(`${baseUrl}/students/notifications/stream/`, student.auth);
    const stranger = await openStream(`${baseUrl}/students/notifications/stream/`, other.auth);
    try {
      expect(tab1.status).toBe(200);
      await tab1.next('unread_count');
      await tab2.next('unread_count');
      const n = await notifyAnnouncement(student, `live:${student.id}`);
      for (const tab of [tab1, tab2]) {
        const [event] = await tab.next('notification');
        expect(event!.id).toBe(String(n!.id));
        expect(JSON.parse(event!.data)).toMatchObject({ id: n!.id, title: `Title live:${student.id}`, is_read: false });
        const counts = await tab.next('unread_count', 2);
        expect(JSON.parse(counts.at(-1)!.data)).toEqual({ unread_count: 1 });
      }
      // Reading in one tab updates the count in the other.
      await post(`/students/notifications/${n!.id}/read/`, student);
      const counts = await tab2.next('unread_count', 3);
      expect(JSON.parse(counts.at(-1)!.data)).toEqual({ unread_count: 0 });
      await stranger.next('unread_count');
      expect(stranger.events.filter((e) => e.event === 'notification')).toEqual([]);
    } finally {
      for (const tab of [tab1, tab2, stranger]) tab.close();
    }
  });

  it('resumes after Last-Event-ID with what was missed', async () => {
    const student = await createStudent(ctx);
    const first = await notifyAnnouncement(student, `resume:${student.id}:1`);
    const second = await notifyAnnouncement(student, `resume:${student.id}:2`);
    const third = await notifyAnnouncement(student, `resume:${student.id}:3`);
    const tab = await openStream(`${baseUrl}/students/notifications/stream/`, { ...student.auth, 'last-event-id': String(first!.id) });
    try {
      const events = await tab.next('notification', 2);
      expect(events.map((e) => Number(e.id))).toEqual([second!.id, third!.id]);
    } finally {
      tab.close();
    }
  });

  it('opens with a single-use ticket (EventSource), never a token in the URL', async () => {
    const student = await createStudent(ctx);
    const { ticket } = (await post('/students/notifications/stream-ticket/', student)).json();
    const tab = await openStream(`${baseUrl}/students/notifications/stream/?ticket=${ticket}`);
    try {
      expect(tab.status).toBe(200);
      await tab.next('unread_count');
    } finally {
      tab.close();
    }
    const reused = await fetch(`${baseUrl}/students/notifications/stream/?ticket=${ticket}`, { headers: { accept: 'text/event-stream' } });
    expect(reused.status).toBe(401);
    expect(((await reused.json()) as { code: string }).code).toBe('token_invalid');
    const none = await fetch(`${baseUrl}/students/notifications/stream/`, { headers: { accept: 'text/event-stream' } });
    expect(none.status).toBe(401);
  });

  it('reaches a tab connected to another app instance sharing the database', async () => {
    const student = await createStudent(ctx);
    const hub2 = await startInboxHub(ctx.database, { databaseUrl: ctx.config.databaseUrl, inbox: ctx.services.inbox, logger: ctx.runtime.logger });
    const app2 = await buildApp({ config: ctx.config, database: ctx.database, services: ctx.services, hub: hub2 });
    await app2.listen({ port: 0, host: '127.0.0.1' });
    const address = app2.server.address();
    const tab = await openStream(`http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/students/notifications/stream/`, student.auth);
    try {
      await tab.next('unread_count');
      // The notification commits through instance 1's services; the tab listens on instance 2.
      const n = await notifyAnnouncement(student, `cross:${student.id}`);
      const [event] = await tab.next('notification');
      expect(Number(event!.id)).toBe(n!.id);
    } finally {
      tab.close();
      await app2.close();
      await hub2.stop();
    }
  });
});

describe('preferences', () => {
  it('turns a channel off per type, but never the in-app part of an essential type', async () => {
    const student = await createStudent(ctx);
    const defaults = (await get('/students/notification-preferences/', student)).json().preferences;
    expect(defaults.find((p: { type: string }) => p.type === 'webinar_approval').channels.in_app).toEqual({ enabled: true, locked: true });
    const refused = await ctx.app.inject({ method: 'PUT', url: '/students/notification-preferences/', headers: student.auth, payload: { preferences: [{ type: 'class_enrollment', channel: 'in_app', enabled: false }] } });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().details[0].message).toContain('essential');
    const ok = await ctx.app.inject({
      method: 'PUT',
      url: '/students/notification-preferences/',
      headers: student.auth,
      payload: { preferences: [{ type: 'announcement', channel: 'in_app', enabled: false }, { type: 'announcement', channel: 'email', enabled: false }] },
    });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().preferences.find((p: { type: string }) => p.type === 'announcement').channels).toEqual({ in_app: { enabled: false, locked: false }, email: { enabled: false, locked: false } });
    const n = await notifyAnnouncement(student, `muted:${student.id}`);
    expect(n!.in_app).toBe(false);
    expect((await inbox(student)).notifications).toEqual([]);
    expect(await ctx.database.db.selectFrom('notification_deliveries').select('id').where('notification_id', '=', n!.id).execute()).toEqual([]);
  });
});

describe('broadcasts and deliveries', () => {
  it('announces to a class, idempotently, respecting preferences', async () => {
    const cls = await createClass(ctx, admin, { price: '1' });
    const enrolled = [await createStudent(ctx), await createStudent(ctx)];
    for (const s of enrolled) await post(`/edu_admin/receipt-payments/${await paidReceipt(ctx, s, { classIds: [cls.id], amount: '1' })}/verify/`, admin);
    const outsider = await createStudent(ctx);
    const body = { class_id: cls.id, title: 'Room change', message: 'Session 2 moves to Thursday.', channels: ['in_app', 'email'], idempotency_key: `room-change-${cls.id}` };
    const first = await post('/edu_admin/notifications/broadcast/', admin, body);
    expect(first.statusCode).toBe(201);
    expect(first.json()).toMatchObject({ recipients: 2, emails_queued: 2, created: true });
    const again = await post('/edu_admin/notifications/broadcast/', admin, body);
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ id: first.json().id, created: false });
    for (const s of enrolled) expect((await inbox(s)).notifications.filter((n: { type: string }) => n.type === 'announcement')).toHaveLength(1);
    expect((await inbox(outsider)).notifications).toEqual([]);
    expect((await post('/edu_admin/notifications/broadcast/', enrolled[0]!, body)).statusCode).toBe(403);
  });

  it('reaches 10,000 students with one notification each', async () => {
    await sql`insert into users (username, email, first_name, role, password_hash)
              select 'bulk' || g, 'bulk' || g || '@example.org', 'Bulk', 'student', 'x' from generate_series(1, 10000) g`.execute(ctx.database.db);
    const students = Number((await ctx.database.db.selectFrom('users').select((eb) => eb.fn.countAll<number>().as('n')).where('role', '=', 'student').where('is_active', '=', true).executeTakeFirstOrThrow()).n);
    const res = await post('/edu_admin/notifications/broadcast/', admin, { title: 'Welcome', message: 'Term starts Monday.', channels: ['in_app'], idempotency_key: 'welcome-all' });
    expect(res.statusCode).toBe(201);
    expect(res.json().recipients).toBe(students);
    const rows = await ctx.database.db.selectFrom('notifications').select(['user_id']).where('dedupe_key', 'like', `broadcast:${res.json().id}:%`).execute();
    expect(rows).toHaveLength(students);
    expect(new Set(rows.map((r) => r.user_id)).size).toBe(students);
  });

  it('lists failed deliveries and retries one', async () => {
    const student = await createStudent(ctx);
    const n = await notifyAnnouncement(student, `fail:${student.id}`);
    const delivery = await ctx.database.db.updateTable('notification_deliveries').set({ status: 'failed', last_error: 'SMTP 550 mailbox unavailable', attempts: 7 }).where('notification_id', '=', n!.id).returningAll().executeTakeFirstOrThrow();
    const failed = (await get('/edu_admin/notification-deliveries/?status=failed', admin)).json();
    expect(failed.results.map((d: { id: number }) => d.id)).toContain(delivery.id);
    expect(failed.results.find((d: { id: number }) => d.id === delivery.id)).toMatchObject({ last_error: 'SMTP 550 mailbox unavailable', recipient: student.email, type: 'announcement' });
    const retried = await post(`/edu_admin/notification-deliveries/${delivery.id}/retry/`, admin);
    expect(retried.statusCode).toBe(200);
    expect(retried.json().status).toBe('queued');
    expect((await post(`/edu_admin/notification-deliveries/${delivery.id}/retry/`, admin)).statusCode).toBe(409);
  });
});
