import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from './support/context.js';
import { createAdmin, createClass, createStudent, paidReceipt, type TestUser } from './support/factories.js';
import { waitFor } from './support/wait.js';

let ctx: TestContext;
let admin: TestUser;

beforeAll(async () => {
  ctx = await createTestContext({ workers: true });
  admin = await createAdmin(ctx);
});
afterAll(() => ctx.close());

const future = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString();
const req = (method: 'GET' | 'POST' | 'PUT', url: string, payload?: object) => ctx.app.inject({ method, url, headers: admin.auth, ...(payload ? { payload } : {}) });

async function linked(classOverrides: Record<string, unknown>, webinar: Parameters<TestContext['zoom']['createWebinar']>[0]) {
  const cls = await createClass(ctx, admin, { price: '10', ...classOverrides });
  const zoomWebinar = ctx.zoom.createWebinar({ start_time: future(5), ...webinar });
  const res = await req('POST', `/edu_admin/classes/${cls.id}/webinars/`, { zoom_webinar_id: String(zoomWebinar.id) });
  expect(res.statusCode).toBe(201);
  return { cls, zoomWebinar, webinar: res.json() as { id: number; registration_ready: boolean } };
}

async function enroll(student: TestUser, classId: number) {
  const payment = await paidReceipt(ctx, student, { classIds: [classId], amount: '10' });
  expect((await req('POST', `/edu_admin/receipt-payments/${payment}/verify/`)).statusCode).toBe(200);
  return payment;
}

const registration = (webinarId: number, studentId: number) =>
  ctx.database.db.selectFrom('zoom_webinar_registrations').selectAll().where('webinar_id', '=', webinarId).where('student_id', '=', studentId).executeTakeFirst();
const notices = (userId: number, type: string) => ctx.database.db.selectFrom('notifications').selectAll().where('user_id', '=', userId).where('type', '=', type).execute();

describe('failures are visible and fixable', () => {
  it('fails a registration the class has no seat for, telling the student and the admins', async () => {
    const { cls, webinar } = await linked({ capacity: 1 }, { topic: 'One seat', approval_type: 0 });
    const first = await createStudent(ctx);
    const second = await createStudent(ctx);
    await enroll(first, cls.id);
    await enroll(second, cls.id);
    await waitFor(async () => (await registration(webinar.id, second.id))?.status === 'failed', { timeoutMs: 10_000 });
    expect(await registration(webinar.id, second.id)).toMatchObject({ failure_code: 'class_full' });
    await waitFor(async () => (await registration(webinar.id, first.id))?.status === 'approved', { timeoutMs: 10_000 });
    expect(await notices(second.id, 'registration_problem')).toHaveLength(1);
    const adminNotes = await notices(admin.id, 'registration_problem');
    expect(adminNotes.some((n) => n.message.includes(second.username) && n.message.includes('capacity'))).toBe(true);

    const failed = (await req('GET', `/edu_admin/registrations/?status=failed&webinar=${webinar.id}`)).json();
    expect(failed.results).toHaveLength(1);
    expect(failed.results[0]).toMatchObject({ student: { id: second.id }, failure_code: 'class_full', last_error: expect.stringContaining('capacity') });
  });

  it('fails on an unanswerable question, then an admin maps it and retries', async () => {
    const { cls, webinar } = await linked({}, { topic: 'Needs org', approval_type: 1, questions: { questions: [{ field_name: 'org', required: true }], custom_questions: [] } });
    expect(webinar.registration_ready).toBe(false);
    const student = await createStudent(ctx);
    await enroll(student, cls.id);
    await waitFor(async () => (await registration(webinar.id, student.id))?.status === 'failed', { timeoutMs: 10_000 });
    const row = (await registration(webinar.id, student.id))!;
    expect(row.failure_code).toBe('webinar_not_ready');

    expect((await req('PUT', `/edu_admin/webinars/${webinar.id}/question-mapping/`, { answers: { org: { fixed: 'EduConnect' } } })).statusCode).toBe(200);
    const retry = await req('POST', `/edu_admin/registrations/${row.id}/retry/`);
    expect(retry.statusCode).toBe(200);
    expect(retry.json().status).toBe('queued');
    await waitFor(async () => (await registration(webinar.id, student.id))?.status === 'approved', { timeoutMs: 10_000 });
    expect((await req('POST', `/edu_admin/registrations/${row.id}/retry/`)).statusCode).toBe(409);
  });

  it('registers already-enrolled students when a webinar is linked later', async () => {
    const cls = await createClass(ctx, admin, { price: '10' });
    const student = await createStudent(ctx);
    await enroll(student, cls.id);
    const zoomWebinar = ctx.zoom.createWebinar({ topic: 'Added later', approval_type: 0, start_time: future(4) });
    const res = await req('POST', `/edu_admin/classes/${cls.id}/webinars/`, { zoom_webinar_id: String(zoomWebinar.id) });
    await waitFor(async () => (await registration(res.json().id, student.id))?.status === 'approved', { timeoutMs: 10_000 });
  });
});

describe('seed admin endpoints', () => {
  it('report per webinar: pending in Zoom (paid/unpaid), our counts, and verify-to-approval times', async () => {
    const { cls, zoomWebinar, webinar } = await linked({}, { topic: 'Status board', approval_type: 1 });
    const student = await createStudent(ctx);
    await enroll(student, cls.id);
    await waitFor(async () => (await registration(webinar.id, student.id))?.status === 'approved', { timeoutMs: 10_000 });
    ctx.zoom.addRegistrantDirectly(String(zoomWebinar.id), { email: 'walk-in@example.org', first_name: 'Walk', last_name: 'In' });

    const status = (await req('GET', '/edu_admin/webinar-pending-status/')).json();
    const row = status.webinars.find((w: { id: number }) => w.id === webinar.id);
    expect(row).toMatchObject({ webinar_id: String(zoomWebinar.id), approved: 1, queued: 0, failed: 0, pending_in_zoom: { paid: 0, unpaid: 1 }, total: 1 });
    expect(row.verify_to_approved.approved_count).toBe(1);
    expect(row.verify_to_approved.p50_seconds).toBeGreaterThanOrEqual(0);
    expect(status.totals.zoom_pending_unpaid).toBeGreaterThanOrEqual(1);

    const all = await req('POST', '/edu_admin/approve-all-webinar-registrations/');
    expect(all.statusCode).toBe(200);
    const mine = all.json().webinars.find((w: { webinar_id: string }) => w.webinar_id === String(zoomWebinar.id));
    expect(mine).toMatchObject({ approved: [], skipped_unpaid: [{ email: 'walk-in@example.org' }] });
    const one = await req('POST', '/edu_admin/approve-webinar-registrations', { webinar_id: String(zoomWebinar.id) });
    expect(one.json().webinars).toHaveLength(1);
    expect((await req('POST', '/edu_admin/approve-webinar-registrations/', { webinar_id: 'abc' })).statusCode).toBe(400);
  });

  it('are for admins only', async () => {
    const student = await createStudent(ctx);
    for (const url of ['/edu_admin/webinar-pending-status/', '/edu_admin/registrations/']) {
      expect((await ctx.app.inject({ url, headers: student.auth })).statusCode).toBe(403);
    }
    expect((await ctx.app.inject({ method: 'POST', url: '/edu_admin/approve-all-webinar-registrations/', headers: student.auth })).statusCode).toBe(403);
  });
});
