import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from './support/context.js';
import { createAdmin, createClass, createStudents, paidReceipt, type TestUser } from './support/factories.js';
import { expectApprovedExactlyOnce, PIPELINE_FAULTS, registrationJobsInFlight, unscheduleReconciliation, waitForAllApproved } from './support/pipeline-outcome.js';
import { freePort } from './support/processes.js';
import { waitFor } from './support/wait.js';
import { recordAddPosts } from './support/zoom-adds.js';
import type { ZoomSimulatorOptions } from '../src/zoom/simulator/index.js';

/**
 * The pipeline under a Zoom that fails — injected faults, per-second 429s, webhooks racing the
 * jobs — and its way back: refunds cancelled in Zoom, portal actions repaired by reconciliation.
 * The periodic reconciliation is off, so what is checked is the pipeline's own doing.
 */
let ctx: TestContext;
let admin: TestUser;
let appUrl: string;

async function start(simulator: Partial<ZoomSimulatorOptions>, options: { webhooks: boolean }) {
  ctx = await createTestContext({ workers: true, simulator });
  await unscheduleReconciliation(ctx.database.db);
  admin = await createAdmin(ctx);
  if (options.webhooks) appUrl = await ctx.listen();
}

const SEED_QUESTIONS = {
  questions: [{ field_name: 'last_name' as const, required: true }],
  custom_questions: [
    { title: 'Serial number', type: 'short' as const, required: true },
    { title: 'Secret number', type: 'short' as const, required: true },
  ],
};
const future = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString();

async function classWithWebinar(topic: string) {
  const cls = await createClass(ctx, admin, { price: '10' });
  const zoomWebinar = ctx.zoom.createWebinar({ topic, approval_type: 1, start_time: future(3), questions: SEED_QUESTIONS });
  const res = await ctx.app.inject({ method: 'POST', url: `/edu_admin/classes/${cls.id}/webinars/`, headers: admin.auth, payload: { zoom_webinar_id: String(zoomWebinar.id) } });
  expect(res.statusCode).toBe(201);
  return { cls, zoomWebinarId: String(zoomWebinar.id), webinar: res.json<{ id: number }>() };
}

async function verify(paymentId: number) {
  const res = await ctx.app.inject({ method: 'POST', url: `/edu_admin/receipt-payments/${paymentId}/verify/`, headers: admin.auth });
  expect(res.statusCode, res.body).toBe(200);
  return res.json<{ enrollments_created: Array<{ id: number }> }>();
}

const registrationOf = (studentId: number, webinarId: number) =>
  ctx.database.db.selectFrom('zoom_webinar_registrations').selectAll().where('student_id', '=', studentId).where('webinar_id', '=', webinarId).executeTakeFirstOrThrow();
const noticesOf = async (studentId: number, type: string) =>
  ctx.database.db.selectFrom('notifications').select(['id', 'data']).where('user_id', '=', studentId).where('type', '=', type).execute();

describe('200 students at once through a failing Zoom', () => {
  let adds: ReturnType<typeof recordAddPosts>;
  // The simulator allows fewer requests per second than the client's limiter sends: genuine 429s.
  // Its webhooks go nowhere, so every lost answer has to be found by the jobs' own lookups (the
  // process tests and the refund below have webhooks racing the jobs).
  beforeAll(async () => {
    await start({ plan: 'pro', rateScale: 0.3 }, { webhooks: false });
    adds = recordAddPosts();
  });
  afterAll(async () => {
    adds?.restore();
    await ctx?.close();
  });

  it('approves 200 students verified at once exactly once each, through 20% faults and per-second 429s', async () => {
    const { cls, zoomWebinarId, webinar } = await classWithWebinar('Two hundred at once');
    const students = await createStudents(ctx, 200);
    const payments: number[] = [];
    for (const s of students) payments.push(await paidReceipt(ctx, s, { classIds: [cls.id], amount: '10' }));

    for (const fault of PIPELINE_FAULTS) ctx.zoom.injectFault(fault);
    const verified = await Promise.all(payments.map((id) => ctx.app.inject({ method: 'POST', url: `/edu_admin/receipt-payments/${id}/verify/`, headers: admin.auth })));
    expect(verified.map((r) => r.statusCode)).toEqual(payments.map(() => 200));

    // Most are approved within 40 s; an unlucky student whose calls kept failing waits out the
    // job's exponential backoff (2, 4, 8, 16, 32, 64 s…), hence the margin.
    await waitForAllApproved(ctx.database.db, webinar.id, students.length, 150_000);
    ctx.zoom.clearFaults();
    await expectApprovedExactlyOnce({ db: ctx.database.db, webinarId: webinar.id, zoomWebinarId, students, registrants: ctx.zoom.registrants(zoomWebinarId), addPosts: adds.posts });

    // The run met every kind of failure it claims to survive.
    const log = ctx.zoom.requestLog().filter((e) => e.path.startsWith('/webinars/:webinarId/registrants'));
    const seen = (method: string, status: number) => log.some((e) => e.method === method && e.path.endsWith(method === 'PUT' ? '/status' : '/registrants') && e.status === status);
    expect({
      add500: seen('POST', 500),
      add503: seen('POST', 503),
      addReset: seen('POST', 0),
      add429: seen('POST', 429),
      status500: seen('PUT', 500),
      status503: seen('PUT', 503),
      statusReset: seen('PUT', 0),
      list500: seen('GET', 500),
    }).toEqual({ add500: true, add503: true, addReset: true, add429: true, status500: true, status503: true, statusReset: true, list500: true });
    // A 503 on an add is only injected after Zoom created the registrant, and no webhook tells us:
    // the job must look it up, never add again (Zoom would hand back the same registrant, so only
    // the requests show it).
    const posts = adds.posts.filter((p) => p.webinarId === zoomWebinarId);
    const lostAnswers = posts.flatMap((p, i) => (p.status === 503 ? [{ email: p.email, i }] : []));
    expect(lostAnswers.length).toBeGreaterThan(0);
    expect(lostAnswers.filter(({ email, i }) => posts.slice(i + 1).some((later) => later.email === email))).toEqual([]);
  }, 210_000);
});

describe('reversal and repair', () => {
  beforeAll(() => start({}, { webhooks: true }));
  afterAll(() => ctx?.close());
  afterEach(() => ctx.zoom.clearFaults());

  it('refund cancels the registration in Zoom and tells the student once; a second verified payment keeps the seat', async () => {
    const { cls, zoomWebinarId, webinar } = await classWithWebinar('Refunds');
    const [refunded, paidTwice] = await createStudents(ctx, 2);
    const refundedPayment = await paidReceipt(ctx, refunded!, { classIds: [cls.id], amount: '10' });
    const firstPayment = await paidReceipt(ctx, paidTwice!, { classIds: [cls.id], amount: '10' });
    const secondPayment = await paidReceipt(ctx, paidTwice!, { classIds: [cls.id], amount: '10' });
    const [refundedEnrollment] = (await verify(refundedPayment)).enrollments_created;
    const [keptEnrollment] = (await verify(firstPayment)).enrollments_created;
    expect((await verify(secondPayment)).enrollments_created).toEqual([]);
    const approved = async (studentId: number) => (await registrationOf(studentId, webinar.id)).status === 'approved';
    await waitFor(async () => (await approved(refunded!.id)) && (await approved(paidTwice!.id)), { timeoutMs: 30_000, intervalMs: 100, what: 'both approved' });

    // Zoom answers the cancel slowly (within the client's timeout): its webhook arrives first.
    ctx.zoom.injectFault({ match: { method: 'PUT', path: `/webinars/${zoomWebinarId}/registrants/status` }, kind: 'slow', when: 'after', delayMs: 500 });
    const refund = async (paymentId: number) => ctx.app.inject({ method: 'POST', url: `/edu_admin/receipt-payments/${paymentId}/refund/`, headers: admin.auth, payload: { reason: 'refunded at the student\'s request' } });
    const res = await refund(refundedPayment);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ payment_id: refundedPayment, status: 'refunded', enrollments_revoked: [refundedEnrollment!.id], enrollments_kept: [] });
    const kept = await refund(firstPayment);
    expect(kept.json()).toEqual({ payment_id: firstPayment, status: 'refunded', enrollments_revoked: [], enrollments_kept: [keptEnrollment!.id] });

    await waitFor(async () => (await registrationOf(refunded!.id, webinar.id)).status === 'cancelled', { timeoutMs: 30_000, intervalMs: 100, what: 'the registration cancelled' });
    await waitFor(async () => (await registrationJobsInFlight(ctx.database.db)) === 0, { timeoutMs: 30_000, intervalMs: 100, what: 'the cancel job done' });
    await ctx.zoom.webhooksSettled();
    await ctx.services.webhooks.idle();
    // Zoom's cancel moves approved → denied; the student is told once.
    const inZoom = ctx.zoom.registrants(zoomWebinarId);
    expect(inZoom.find((r) => r.email.toLowerCase() === refunded!.email.toLowerCase())?.status).toBe('denied');
    expect(await registrationOf(refunded!.id, webinar.id)).toMatchObject({ status: 'cancelled' });
    expect(await noticesOf(refunded!.id, 'registration_cancelled')).toHaveLength(1);

    // The student who paid twice keeps the enrollment (now on the other payment) and the registration.
    const enrollment = await ctx.database.db.selectFrom('enrollments').selectAll().where('id', '=', keptEnrollment!.id).executeTakeFirstOrThrow();
    expect(enrollment).toMatchObject({ status: 'active', payment_id: secondPayment });
    expect(await registrationOf(paidTwice!.id, webinar.id)).toMatchObject({ status: 'approved', cancel_requested_at: null });
    expect(inZoom.find((r) => r.email.toLowerCase() === paidTwice!.email.toLowerCase())?.status).toBe('approved');
    expect(await noticesOf(paidTwice!.id, 'registration_cancelled')).toEqual([]);
  });

  it('reconciliation repairs a registration approved in Zoom\'s portal while webhooks were lost', async () => {
    const { cls, zoomWebinarId, webinar } = await classWithWebinar('Portal approvals');
    // Our own approvals fail, so the registration stays pending with us until the host acts.
    ctx.zoom.injectFault({ match: { method: 'PUT', path: `/webinars/${zoomWebinarId}/registrants/status` }, kind: 'http_503', when: 'before' });
    const [student] = await createStudents(ctx, 1);
    await verify(await paidReceipt(ctx, student!, { classIds: [cls.id], amount: '10' }));
    await waitFor(async () => (await registrationOf(student!.id, webinar.id)).status === 'pending', { timeoutMs: 30_000, intervalMs: 100, what: 'the registration pending' });
    await waitFor(() => ctx.zoom.requestLog().some((e) => e.method === 'PUT' && e.status === 503), { timeoutMs: 30_000, intervalMs: 100, what: 'an approval refused' });

    // The host approves in Zoom's portal; the webhook goes nowhere.
    ctx.zoom.setWebhookTarget(`http://127.0.0.1:${await freePort()}/zoom/webhook/`, ctx.config.zoom.webhookSecretToken);
    try {
      const row = await registrationOf(student!.id, webinar.id);
      ctx.zoom.setRegistrantStatus(zoomWebinarId, row.zoom_registrant_id!, 'approve');
      await ctx.zoom.webhooksSettled();
      expect(ctx.zoom.webhookDeliveries().filter((d) => d.event === 'webinar.registration_approved').map((d) => d.status)).toContain('error');
      expect((await registrationOf(student!.id, webinar.id)).status).toBe('pending');
      expect(await noticesOf(student!.id, 'webinar_approval')).toEqual([]);

      const reconcile = async () => {
        const res = await ctx.app.inject({ method: 'POST', url: '/edu_admin/reconcile/', headers: admin.auth });
        expect(res.statusCode, res.body).toBe(200);
        return res.json<{ webinars: Array<{ webinar_id: string; repaired: Array<{ registration_id: number; change: string }> }>; totals: { repaired: number } }>();
      };
      const first = await reconcile();
      expect(first.webinars.find((w) => w.webinar_id === zoomWebinarId)?.repaired).toEqual([{ registration_id: row.id, change: 'pending → approved (approved in Zoom)' }]);
      expect(first.totals.repaired).toBeGreaterThanOrEqual(1);
      expect(await registrationOf(student!.id, webinar.id)).toMatchObject({ status: 'approved', join_url: row.join_url });
      const notices = await noticesOf(student!.id, 'webinar_approval');
      expect(notices).toHaveLength(1);
      expect(notices[0]!.data).toMatchObject({ join_url: row.join_url });

      // Run again: nothing left to repair, and no second notice.
      const second = await reconcile();
      expect(second.webinars.find((w) => w.webinar_id === zoomWebinarId)?.repaired).toEqual([]);
      expect(await noticesOf(student!.id, 'webinar_approval')).toHaveLength(1);
    } finally {
      ctx.zoom.setWebhookTarget(`${appUrl}/zoom/webhook/`, ctx.config.zoom.webhookSecretToken);
    }
  });
});
