import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from './support/context.js';
import { createAdmin, createClass, createStudent, paidReceipt, type TestUser } from './support/factories.js';
import { waitFor } from './support/wait.js';

let ctx: TestContext;
let admin: TestUser;

beforeAll(async () => {
  ctx = await createTestContext({ workers: true });
  admin = await createAdmin(ctx);
  await ctx.listen();
});
afterAll(() => ctx.close());

const SEED_QUESTIONS = {
  questions: [{ field_name: 'last_name' as const, required: true }],
  custom_questions: [
    { title: 'Serial number', type: 'short' as const, required: true },
    { title: 'Secret number', type: 'short' as const, required: true },
  ],
};
const future = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString();

async function classWithWebinar(options: Parameters<TestContext['zoom']['createWebinar']>[0]) {
  const cls = await createClass(ctx, admin, { price: '10' });
  const zoomWebinar = ctx.zoom.createWebinar(options);
  const res = await ctx.app.inject({ method: 'POST', url: `/edu_admin/classes/${cls.id}/webinars/`, headers: admin.auth, payload: { zoom_webinar_id: String(zoomWebinar.id) } });
  expect(res.statusCode).toBe(201);
  return { cls, zoomWebinar, webinar: res.json() as { id: number } };
}

async function payAndVerify(student: TestUser, classId: number) {
  const payment = await paidReceipt(ctx, student, { classIds: [classId], amount: '10' });
  const res = await ctx.app.inject({ method: 'POST', url: `/edu_admin/receipt-payments/${payment}/verify/`, headers: admin.auth });
  expect(res.statusCode).toBe(200);
  return payment;
}

const registrationsOf = (webinarId: number) => ctx.database.db.selectFrom('zoom_webinar_registrations').selectAll().where('webinar_id', '=', webinarId).execute();
const notificationsOf = async (student: TestUser) =>
  (await ctx.app.inject({ url: '/students/notifications/?limit=100', headers: student.auth })).json<{ notifications: Array<{ type: string; data: Record<string, unknown>; action_url: string | null }> }>().notifications;

describe('verify → enroll → register → approve → notify', () => {
  it('approves paid students of a manual-approval webinar, with the seed answers and three notices each', async () => {
    const { cls, zoomWebinar, webinar } = await classWithWebinar({ topic: 'Manual', approval_type: 1, start_time: future(3), questions: SEED_QUESTIONS });
    const students = [await createStudent(ctx), await createStudent(ctx), await createStudent(ctx)];
    const payments = new Map<number, number>();
    for (const s of students) payments.set(s.id, await payAndVerify(s, cls.id));

    await waitFor(async () => (await registrationsOf(webinar.id)).filter((r) => r.status === 'approved').length === 3, { timeoutMs: 15_000, what: 'three approvals' });
    const inZoom = ctx.zoom.registrants(String(zoomWebinar.id));
    expect(inZoom).toHaveLength(3);
    for (const s of students) {
      const registrant = inZoom.find((r) => r.email === s.email)!;
      expect(registrant.status).toBe('approved');
      expect(registrant.custom_questions).toEqual(
        expect.arrayContaining([
          { title: 'Serial number', value: s.username },
          { title: 'Secret number', value: String(payments.get(s.id)) },
        ]),
      );
      await waitFor(async () => (await notificationsOf(s)).length === 3, { what: 'three notifications' });
      const notes = await notificationsOf(s);
      expect(notes.map((n) => n.type).sort()).toEqual(['class_enrollment', 'webinar_approval', 'webinar_registration']);
      const approval = notes.find((n) => n.type === 'webinar_approval')!;
      expect(approval.data.join_url).toBe(registrant.join_url);
      expect(approval.action_url).toBe(registrant.join_url);
    }
    const enrollments = (await ctx.app.inject({ url: '/students/enrollments/', headers: students[0]!.auth })).json();
    expect(enrollments[0].webinars[0].registration).toMatchObject({ status: 'approved', join_url: expect.stringContaining('/w/') });
  });

  it('registers straight to approved on an automatic-approval webinar, with no status call', async () => {
    const { cls, zoomWebinar, webinar } = await classWithWebinar({ topic: 'Automatic', approval_type: 0, start_time: future(3) });
    const student = await createStudent(ctx);
    await payAndVerify(student, cls.id);
    await waitFor(async () => (await registrationsOf(webinar.id))[0]?.status === 'approved', { timeoutMs: 10_000 });
    const statusCalls = ctx.zoom.requestLog().filter((e) => e.method === 'PUT' && e.path.includes(String(zoomWebinar.id)));
    expect(statusCalls).toEqual([]);
    await waitFor(async () => (await notificationsOf(student)).length === 3);
  });

  it('registers a question-free webinar 30 at a time with batch auto-approve: no adds, no status calls', async () => {
    const { cls, zoomWebinar, webinar } = await classWithWebinar({ topic: 'Open lecture', approval_type: 1, start_time: future(3) });
    const students = await Promise.all(Array.from({ length: 35 }, () => createStudent(ctx)));
    const before = ctx.zoom.requestLog().length;
    await Promise.all(students.map((s) => payAndVerify(s, cls.id)));
    await waitFor(async () => (await registrationsOf(webinar.id)).filter((r) => r.status === 'approved').length === 35, { timeoutMs: 20_000, what: '35 approvals' });
    const writes = ctx.zoom.requestLog().slice(before).filter((e) => e.method !== 'GET');
    const batches = writes.filter((e) => e.path.endsWith('/batch_registrants'));
    expect(batches.length).toBeGreaterThanOrEqual(2);
    expect(batches.length).toBeLessThanOrEqual(4);
    expect(writes.filter((e) => e.path.endsWith('/registrants') || e.path.endsWith('/status'))).toEqual([]);
    expect(ctx.zoom.registrants(String(zoomWebinar.id)).filter((r) => r.status === 'approved')).toHaveLength(35);
    for (const s of students.slice(0, 3)) {
      await waitFor(async () => (await notificationsOf(s)).length === 3);
      expect((await notificationsOf(s)).map((n) => n.type).sort()).toEqual(['class_enrollment', 'webinar_approval', 'webinar_registration']);
    }
  });

  it('registers for the occurrences of a recurring webinar', async () => {
    const { cls, zoomWebinar, webinar } = await classWithWebinar({ topic: 'Weekly', type: 9, registration_type: 3, approval_type: 1, start_time: future(2) });
    const student = await createStudent(ctx);
    await payAndVerify(student, cls.id);
    await waitFor(async () => (await registrationsOf(webinar.id))[0]?.status === 'approved', { timeoutMs: 10_000 });
    const occurrences = (await ctx.services.zoom.getWebinar(String(zoomWebinar.id))).occurrences ?? [];
    expect(occurrences.length).toBeGreaterThan(1);
    // Zoom refuses occurrence ids it does not know (400/300), so an approved registrant proves they fit.
    expect(ctx.zoom.registrants(String(zoomWebinar.id)).map((r) => [r.email, r.status])).toEqual([[student.email, 'approved']]);
  });

  it('never approves a registrant who registered in Zoom without paying', async () => {
    const { cls, zoomWebinar } = await classWithWebinar({ topic: 'Gatecrashers', approval_type: 1, start_time: future(3), questions: SEED_QUESTIONS });
    const stranger = ctx.zoom.addRegistrantDirectly(String(zoomWebinar.id), { email: 'stranger@example.org', first_name: 'S', last_name: 'T', custom_questions: [{ title: 'Serial number', value: 'x' }, { title: 'Secret number', value: 'y' }] });
    const student = await createStudent(ctx);
    await payAndVerify(student, cls.id);
    await waitFor(() => ctx.zoom.registrants(String(zoomWebinar.id)).some((r) => r.email === student.email && r.status === 'approved'), { timeoutMs: 10_000 });
    const res = await ctx.app.inject({ method: 'POST', url: '/edu_admin/approve-webinar-registrations/', headers: admin.auth, payload: { webinar_id: String(zoomWebinar.id) } });
    expect(res.statusCode).toBe(200);
    expect(res.json().webinars[0].skipped_unpaid).toEqual([{ registrant_id: stranger.id, email: 'stranger@example.org' }]);
    expect(ctx.zoom.registrants(String(zoomWebinar.id)).find((r) => r.id === stranger.id)!.status).toBe('pending');
  });
});
