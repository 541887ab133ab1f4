import type { Logger } from 'pino';
import { recordAudit } from '../audit/audit.js';
import type { Db, Tx } from '../db/database.js';
import type { JobQueue } from '../jobs/queue.js';
import { AppError, notFound } from '../http/errors.js';
import type { Notifier } from '../notifications/notifier.js';
import type { ZoomClient } from '../zoom/client.js';
import { nextUtcMidnight, ZoomApiError } from '../zoom/errors.js';
import type { Outcomes } from './outcomes.js';
import { budgetLeft, spendBudget } from './registrations.js';

/**
 * Refunds and revocations, durable like the forward path: the enrollment is revoked and each of its
 * registrations marked for cancellation in one transaction with their jobs; the jobs cancel in Zoom
 * and tell the student. A student who paid for the class again through another verified payment
 * keeps the enrollment: it is moved onto that payment instead.
 */
export function createReversal(deps: { db: Db; jobs: JobQueue; zoom: ZoomClient; notifier: Notifier; outcomes: Outcomes; logger: Logger; now: () => Date }) {
  const { db, jobs, zoom, notifier, now } = deps;

  async function revokeInTx(trx: Tx, enrollmentId: number, reason: string, actorId: number): Promise<'revoked' | 'kept'> {
    const e = await trx.selectFrom('enrollments').selectAll().where('id', '=', enrollmentId).forUpdate().executeTakeFirst();
    if (!e || e.status !== 'active') return 'kept';
    const otherPayment = await trx
      .selectFrom('receipt_payments as p')
      .innerJoin('receipt_payment_classes as pc', 'pc.payment_id', 'p.id')
      .select('p.id')
      .where('p.student_id', '=', e.student_id)
      .where('pc.class_id', '=', e.class_id)
      .where('p.status', '=', 'verified')
      .where('p.id', '!=', e.payment_id)
      .orderBy('p.id')
      .executeTakeFirst();
    if (otherPayment) {
      await trx.updateTable('enrollments').set({ payment_id: otherPayment.id, updated_at: now() }).where('id', '=', e.id).execute();
      await recordAudit(trx, { actorId, action: 'enrollment.moved_to_payment', entityType: 'enrollment', entityId: e.id, details: { from: e.payment_id, to: otherPayment.id } });
      return 'kept';
    }
    await trx.updateTable('enrollments').set({ status: 'revoked', revoked_at: now(), revoke_reason: reason, updated_at: now() }).where('id', '=', e.id).execute();
    const registrations = await trx
      .updateTable('zoom_webinar_registrations')
      .set({ cancel_requested_at: now(), cancel_reason: reason, updated_at: now() })
      .where('enrollment_id', '=', e.id)
      .where('status', 'in', ['queued', 'pending', 'approved', 'failed'])
      .returning('id')
      .execute();
    await jobs.insert(trx, 'registration.cancel', registrations.map((r) => ({ data: { registrationId: r.id } })));
    await recordAudit(trx, { actorId, action: 'enrollment.revoke', entityType: 'enrollment', entityId: e.id, details: { reason, registrations: registrations.map((r) => r.id) } });
    return 'revoked';
  }

  async function refund(actorId: number, paymentId: number, reason: string) {
    return db.transaction().execute(async (trx) => {
      const payment = await trx.selectFrom('receipt_payments').selectAll().where('id', '=', paymentId).forUpdate().executeTakeFirst();
      if (!payment) throw notFound('Payment');
      if (payment.status !== 'verified' && payment.status !== 'refunded') {
        throw new AppError('payment_not_pending', `Payment ${paymentId} is ${payment.status}; only a verified payment can be refunded`);
      }
      const enrollments = await trx.selectFrom('enrollments').select('id').where('payment_id', '=', paymentId).execute();
      const outcome: Record<'revoked' | 'kept', number[]> = { revoked: [], kept: [] };
      if (payment.status === 'verified') {
        await trx.updateTable('receipt_payments').set({ status: 'refunded', updated_at: now() }).where('id', '=', paymentId).execute();
        for (const e of enrollments) outcome[await revokeInTx(trx, e.id, reason, actorId)].push(e.id);
        await recordAudit(trx, { actorId, action: 'payment.refund', entityType: 'receipt_payment', entityId: paymentId, details: { reason, ...outcome } });
      }
      return { payment_id: paymentId, status: 'refunded' as const, enrollments_revoked: outcome.revoked, enrollments_kept: outcome.kept };
    });
  }

  async function revoke(actorId: number, enrollmentId: number, reason: string) {
    return db.transaction().execute(async (trx) => {
      const e = await trx.selectFrom('enrollments').select(['id', 'status']).where('id', '=', enrollmentId).executeTakeFirst();
      if (!e) throw notFound('Enrollment');
      const result = e.status === 'active' ? await revokeInTx(trx, enrollmentId, reason, actorId) : 'revoked';
      return { enrollment_id: enrollmentId, result };
    });
  }

  /** The cancel job: deny a pending or cancel an approved registrant in Zoom, then tell the student. */
  async function cancel(registrationId: number, attempt: { final: boolean }): Promise<string> {
    const r = await db.selectFrom('zoom_webinar_registrations as r').innerJoin('webinars as w', 'w.id', 'r.webinar_id').selectAll('r').select(['w.zoom_webinar_id', 'w.topic']).where('r.id', '=', registrationId).executeTakeFirst();
    if (!r || !r.cancel_requested_at) return 'nothing-to-do';
    try {
      let registrantId = r.zoom_registrant_id;
      if (!registrantId && r.add_attempted_at && r.status !== 'cancelled') {
        // The add's outcome was never heard: find the registrant Zoom may have, to cancel it too.
        const all = [...(await zoom.listRegistrants(r.zoom_webinar_id, 'pending')), ...(await zoom.listRegistrants(r.zoom_webinar_id, 'approved'))];
        registrantId = all.find((x) => x.email.toLowerCase() === r.email.toLowerCase())?.id ?? null;
      }
      if (registrantId && (r.status === 'pending' || r.status === 'approved' || r.status === 'queued')) {
        if (budgetLeft(r, 'status', now()) <= 0) {
          await deps.outcomes.deferred(r.id, nextUtcMidnight(now()), 'Zoom allows 10 status changes per registrant per day; cancelling after 00:00 UTC', 'registration.cancel');
          return 'deferred';
        }
        await spendBudget(db, [r.id], 'status', now());
        // Zoom's "cancel" undoes an approval; a pending registrant is denied instead (FACTS §2.4).
        const action = r.status === 'approved' ? 'cancel' : 'deny';
        const result = await zoom.updateRegistrantStatus(r.zoom_webinar_id, action, [registrantId]);
        if (result.failed.length) throw result.failed[0]!.error;
      }
    } catch (error) {
      if (!(error instanceof ZoomApiError)) throw error;
      if (error.retry.kind === 'next_utc_day') {
        await deps.outcomes.deferred(r.id, error.retry.at, `Zoom's daily limit: ${error.zoomMessage}`, 'registration.cancel');
        return 'deferred';
      }
      if (error.retry.kind === 'soon' && !attempt.final) {
        await deps.outcomes.noteError(r.id, error.zoomMessage);
        throw error;
      }
      // Gone in Zoom already, or Zoom refuses for good: our side is cancelled either way; say why.
      deps.logger.warn({ registrationId: r.id, err: error }, 'zoom cancel failed; marking cancelled');
    }
    await db.transaction().execute(async (trx) => {
      await trx.updateTable('zoom_webinar_registrations').set({ status: 'cancelled', updated_at: now() }).where('id', '=', r.id).where('status', '!=', 'cancelled').execute();
      // Zoom's webhook of this very cancellation may have marked the row first (it often overtakes
      // the answer): the student is told either way, once per cancel request (the key).
      await notifier.notify(trx, {
        userId: r.student_id,
        type: 'registration_cancelled',
        data: { webinar_id: r.webinar_id, topic: r.topic, reason: r.cancel_reason ?? 'your enrollment ended' },
        dedupeKey: `registration:${r.id}:cancelled:${r.cancel_requested_at!.toISOString()}`,
      });
    });
    return 'cancelled';
  }

  return { refund, revoke, cancel };
}
