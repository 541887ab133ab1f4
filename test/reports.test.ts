import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rate, rates } from '../src/reports/service.js';
import { createTestContext, type TestContext } from './support/context.js';
import { createAdmin, createClass, createStudent, paidReceipt, type TestUser } from './support/factories.js';
import { waitFor } from './support/wait.js';

/** GET /edu_admin/reports/summary/ over the pipeline's real rows (workers and the Zoom simulator running). */

let ctx: TestContext;
let admin: TestUser;

beforeAll(async () => {
  ctx = await createTestContext({ workers: true });
  admin = await createAdmin(ctx);
});
afterAll(() => ctx.close());

const future = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString();
const req = (method: 'GET' | 'POST' | 'PUT' | 'PATCH', url: string, payload?: object) => ctx.app.inject({ method, url, headers: admin.auth, ...(payload ? { payload } : {}) });
const summary = async () => {
  const res = await req('GET', '/edu_admin/reports/summary/');
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
};

async function linked(classOverrides: Record<string, unknown>, webinar: Parameters<TestContext['zoom']['createWebinar']>[0]) {
  const cls = await createClass(ctx, admin, { price: '10', ...classOverrides });
  const zoomWebinar = ctx.zoom.createWebinar({ start_time: future(5), ...webinar });
  const res = await req('POST', `/edu_admin/classes/${cls.id}/webinars/`, { zoom_webinar_id: String(zoomWebinar.id) });
  expect(res.statusCode, res.body).toBe(201);
  return { cls, webinar: res.json() as { id: number } };
}

async function enroll(student: TestUser, classId: number) {
  const payment = await paidReceipt(ctx, student, { classIds: [classId], amount: '10' });
  expect((await req('POST', `/edu_admin/receipt-payments/${payment}/verify/`)).statusCode).toBe(200);
}

const settled = (webinarId: number, count: number) =>
  waitFor(
    async () => {
      const rows = await ctx.database.db.selectFrom('zoom_webinar_registrations').select('status').where('webinar_id', '=', webinarId).where('status', '!=', 'cancelled').execute();
      return rows.length === count && rows.every((r) => r.status === 'approved' || r.status === 'failed');
    },
    { timeoutMs: 15_000, what: `webinar ${webinarId}'s registrations to settle` },
  );

describe('the reports summary', () => {
  it('answers with empty sections before anything happened', async () => {
    const body = await summary();
    expect(body).toMatchObject({
      totals: { classes: 0, enrolled: 0, registrations: { total: 0 }, registered_in_zoom: 0, registration_rate: null, approval_rate: null },
      classes: [],
      verify_to_approved: { count: 0, p50_seconds: null, p90_seconds: null, p99_seconds: null, max_seconds: null },
      failures: [],
    });
    expect(body.verify_to_approved.buckets.map((b: { label: string }) => b.label)).toEqual(['< 10 s', '10–30 s', '30 s–1 min', '1–5 min', '5–15 min', '15–60 min', '1–6 h', '6–24 h', '≥ 1 day']);
    expect(body.verify_to_approved.buckets.every((b: { count: number }) => b.count === 0)).toBe(true);
  });

  it('counts rates per class, the verify-to-approved distribution and failures by reason', async () => {
    // A class with one seat and two paying students: one approved, one failed for capacity.
    const full = await linked({ title: 'One seat left', capacity: 1 }, { topic: 'Capacity', approval_type: 1 });
    const [a, b] = [await createStudent(ctx), await createStudent(ctx)];
    await enroll(a!, full.cls.id);
    await enroll(b!, full.cls.id);
    // A class whose webinar asks a required question nobody answers: its student's registration fails.
    const unready = await linked({ title: 'Needs an answer' }, { topic: 'Org question', approval_type: 1, questions: { questions: [{ field_name: 'org', required: true }], custom_questions: [] } });
    const c = await createStudent(ctx);
    await enroll(c, unready.cls.id);
    // A class without webinars.
    await createClass(ctx, admin, { title: 'No webinar yet' });
    await settled(full.webinar.id, 2);
    await settled(unready.webinar.id, 1);

    const body = await summary();
    expect(body.classes.map((k: { title: string }) => k.title)).toEqual(['One seat left', 'Needs an answer', 'No webinar yet']);
    expect(body.classes[0]).toMatchObject({
      class_id: full.cls.id,
      capacity: 1,
      enrolled: 2,
      webinars: 1,
      registrations: { queued: 0, pending: 0, approved: 1, denied: 0, cancelled: 0, failed: 1, total: 2 },
      registered_in_zoom: 1,
      registration_rate: 0.5,
      approval_rate: 1,
    });
    expect(body.classes[1]).toMatchObject({ enrolled: 1, registrations: { failed: 1, total: 1 }, registration_rate: 0, approval_rate: null });
    expect(body.classes[2]).toMatchObject({ enrolled: 0, webinars: 0, registrations: { total: 0 }, registration_rate: null, approval_rate: null });
    expect(body.totals).toMatchObject({ classes: 3, enrolled: 3, registrations: { approved: 1, failed: 2, total: 3 }, registered_in_zoom: 1, registration_rate: 0.3333, approval_rate: 1 });

    // The one approval: the simulator approves at once, so it lands in the first bucket.
    const waits = body.verify_to_approved;
    expect(waits.count).toBe(1);
    expect(waits.buckets[0]).toEqual({ label: '< 10 s', min_seconds: 0, max_seconds: 10, count: 1 });
    expect(waits.buckets.at(-1)).toEqual({ label: '≥ 1 day', min_seconds: 86_400, max_seconds: null, count: 0 });
    expect(waits.p50_seconds).toBeGreaterThanOrEqual(0);
    expect(waits.p50_seconds).toBe(waits.p99_seconds);
    expect(waits.max_seconds).toBeLessThan(10);

    expect(body.failures).toEqual([
      { failure_code: 'class_full', count: 1, latest_at: expect.any(String), example: expect.stringContaining('capacity of 1') },
      { failure_code: 'webinar_not_ready', count: 1, latest_at: expect.any(String), example: expect.stringContaining('"org"') },
    ]);
  });

  it('spreads waits over the buckets and takes percentiles over every approval', async () => {
    // Move the existing approval 2 minutes after its verify, and add rows approved after 45 s and 2 days.
    const db = ctx.database.db;
    const approved = await db.selectFrom('zoom_webinar_registrations as r').innerJoin('receipt_payments as p', 'p.id', 'r.payment_id').select(['r.id', 'p.reviewed_at']).where('r.status', '=', 'approved').executeTakeFirstOrThrow();
    const at = (seconds: number) => new Date(approved.reviewed_at!.getTime() + seconds * 1000);
    await db.updateTable('zoom_webinar_registrations').set({ approved_at: at(120) }).where('id', '=', approved.id).execute();
    const template = await db.selectFrom('zoom_webinar_registrations').selectAll().where('id', '=', approved.id).executeTakeFirstOrThrow();
    for (const [i, secs] of [45, 2 * 86_400].entries()) {
      const student = await createStudent(ctx);
      await db
        .insertInto('zoom_webinar_registrations')
        .values({ student_id: student.id, webinar_id: template.webinar_id, payment_id: template.payment_id, email: `wait${i}@example.test`, status: 'cancelled', approved_at: at(secs) })
        .execute();
    }
    const waits = (await summary()).verify_to_approved;
    expect(waits.count).toBe(3);
    expect(Object.fromEntries(waits.buckets.filter((b: { count: number }) => b.count).map((b: { label: string; count: number }) => [b.label, b.count]))).toEqual({ '30 s–1 min': 1, '1–5 min': 1, '≥ 1 day': 1 });
    expect(waits.p50_seconds).toBeCloseTo(120, 1);
    expect(waits.max_seconds).toBeCloseTo(2 * 86_400, 1);
    expect(waits.p90_seconds).toBeGreaterThan(120);
    expect(waits.p99_seconds).toBeGreaterThan(waits.p90_seconds);
  });

  it('follows a retry: the failure leaves the report once the cause is fixed', async () => {
    const [row] = await ctx.database.db.selectFrom('zoom_webinar_registrations').select(['id', 'webinar_id']).where('failure_code', '=', 'class_full').execute();
    const webinar = (await req('GET', `/edu_admin/webinars/${row!.webinar_id}/`)).json();
    expect((await req('PATCH', `/edu_admin/classes/${webinar.class_id}/`, { capacity: 5 })).statusCode).toBe(200);
    expect((await req('POST', `/edu_admin/registrations/${row!.id}/retry/`)).statusCode).toBe(200);
    await settled(row!.webinar_id, 2);
    const body = await summary();
    expect(body.failures.map((f: { failure_code: string }) => f.failure_code)).toEqual(['webinar_not_ready']);
    expect(body.classes.find((k: { class_id: number }) => k.class_id === webinar.class_id)).toMatchObject({ registration_rate: 1, approval_rate: 1, registrations: { approved: 2 } });
  });

  it('is for admins only', async () => {
    const student = await createStudent(ctx);
    expect((await ctx.app.inject({ url: '/edu_admin/reports/summary/', headers: student.auth })).statusCode).toBe(403);
    expect((await ctx.app.inject({ url: '/edu_admin/reports/summary/' })).statusCode).toBe(401);
  });

  it('rounds rates to four places and leaves them out when nothing divides', () => {
    expect(rate(1, 3)).toBe(0.3333);
    expect(rate(0, 0)).toBeNull();
    expect(rates({ queued: 1, pending: 1, approved: 2, denied: 1, cancelled: 2, failed: 1, total: 8 })).toEqual({ registered_in_zoom: 4, registration_rate: 0.6667, approval_rate: 0.5 });
  });
});
