import type { Logger } from 'pino';
import type { Db, Queryable } from '../db/database.js';
import type { JobQueue } from '../jobs/queue.js';
import type { Notifier } from '../notifications/notifier.js';

/**
 * What happens to a registration after a Zoom call: each outcome updates the row and tells the
 * people concerned in one transaction, so a notification exists exactly when its state does.
 */
export function createOutcomes(deps: { db: Db; jobs: JobQueue; notifier: Notifier; logger: Logger; now: () => Date }) {
  const { db, jobs, notifier, logger } = deps;

  async function webinarOf(trx: Queryable, webinarId: number) {
    return trx.selectFrom('webinars').select(['id', 'topic', 'start_time', 'timezone', 'duration_minutes', 'zoom_webinar_id']).where('id', '=', webinarId).executeTakeFirstOrThrow();
  }

  /** Zoom accepted the student: pending (an approval follows, coalesced per webinar) or approved. */
  async function registered(registrationId: number, found: { registrantId: string; joinUrl: string; status: 'pending' | 'approved' }) {
    await db.transaction().execute(async (trx) => {
      const row = await trx
        .updateTable('zoom_webinar_registrations')
        .set({
          zoom_registrant_id: found.registrantId,
          join_url: found.joinUrl,
          status: found.status,
          registered_at: deps.now(),
          approved_at: found.status === 'approved' ? deps.now() : null,
          last_error: null,
          failure_code: null,
          next_attempt_at: null,
          updated_at: deps.now(),
        })
        .where('id', '=', registrationId)
        .where('status', '=', 'queued')
        .returningAll()
        .executeTakeFirst();
      if (!row) return;
      const w = await webinarOf(trx, row.webinar_id);
      await notifier.notify(trx, {
        userId: row.student_id,
        type: 'webinar_registration',
        data: { webinar_id: w.id, topic: w.topic, start_time: w.start_time?.toISOString() ?? null, timezone: w.timezone, status: found.status },
        dedupeKey: `registration:${row.id}:registered`,
      });
      if (found.status === 'approved') await notifyApproved(trx, row.id);
      else await scheduleApproval(trx, row.webinar_id);
    });
  }

  /** One approval job per webinar per second, however many registrations arrive together. */
  const scheduleApproval = (trx: Queryable, webinarId: number) =>
    jobs.send(trx, 'registration.approve', { webinarId }, { singletonKey: `approve:${webinarId}`, singletonSeconds: 1, singletonNextSlot: true });

  /** The approval notice with the join link Zoom returned, once per registration. */
  async function notifyApproved(trx: Queryable, registrationId: number) {
    const row = await trx.selectFrom('zoom_webinar_registrations').selectAll().where('id', '=', registrationId).executeTakeFirstOrThrow();
    const w = await webinarOf(trx, row.webinar_id);
    if (!row.join_url) return;
    await notifier.notify(trx, {
      userId: row.student_id,
      type: 'webinar_approval',
      data: { webinar_id: w.id, topic: w.topic, join_url: row.join_url, start_time: w.start_time?.toISOString() ?? null, timezone: w.timezone, duration: w.duration_minutes },
      dedupeKey: `registration:${row.id}:approved`,
    });
    const verifiedAt = row.payment_id
      ? (await trx.selectFrom('receipt_payments').select('reviewed_at').where('id', '=', row.payment_id).executeTakeFirst())?.reviewed_at
      : null;
    logger.info({ registrationId: row.id, webinarId: row.webinar_id, verifyToApprovedMs: verifiedAt && row.approved_at ? row.approved_at.getTime() - verifiedAt.getTime() : undefined }, 'registration approved');
  }

  /** Marks registrations approved (after a status call or a webhook) and tells each student. */
  async function approved(trx: Queryable, registrationIds: number[]) {
    if (registrationIds.length === 0) return;
    const rows = await trx
      .updateTable('zoom_webinar_registrations')
      .set({ status: 'approved', approved_at: deps.now(), last_error: null, failure_code: null, updated_at: deps.now() })
      .where('id', 'in', registrationIds)
      .where('status', 'in', ['queued', 'pending'])
      .returning('id')
      .execute();
    for (const r of rows) await notifyApproved(trx, r.id);
  }

  /**
   * A registration that needs an admin: marked failed with a reason code, the student told gently,
   * every admin told plainly. Retried by an admin once the cause is fixed.
   */
  async function failed(registrationId: number, code: string, reason: string) {
    await db.transaction().execute(async (trx) => {
      const row = await trx
        .updateTable('zoom_webinar_registrations')
        .set({ status: 'failed', failure_code: code, last_error: reason, next_attempt_at: null, updated_at: deps.now() })
        .where('id', '=', registrationId)
        .where('status', 'in', ['queued', 'pending'])
        .returningAll()
        .executeTakeFirst();
      if (!row) return;
      const w = await webinarOf(trx, row.webinar_id);
      const student = await trx.selectFrom('users').select(['username', 'first_name', 'last_name']).where('id', '=', row.student_id).executeTakeFirstOrThrow();
      await notifier.notify(trx, {
        userId: row.student_id,
        type: 'registration_problem',
        data: { webinar_id: w.id, topic: w.topic, problem: code === 'class_full' || code === 'webinar_full' ? 'the webinar is full' : 'Zoom could not register you yet' },
        dedupeKey: `registration:${row.id}:problem:${code}`,
      });
      const admins = await trx.selectFrom('users').select('id').where('role', '=', 'admin').where('is_active', '=', true).execute();
      for (const admin of admins) {
        await notifier.notify(trx, {
          userId: admin.id,
          type: 'registration_problem',
          title: 'A webinar registration failed',
          message: `${student.first_name} ${student.last_name} (${student.username}) could not be registered for "${w.topic}": ${reason}. Fix the cause, then retry it from the registrations dashboard.`,
          data: { webinar_id: w.id, topic: w.topic, problem: reason },
          actionUrl: `/admin/registrations?status=failed&webinar=${w.id}`,
          dedupeKey: `registration:${row.id}:problem:${code}:admin:${admin.id}`,
        });
      }
      logger.warn({ registrationId: row.id, code, reason }, 'registration failed');
    });
  }

  /** Zoom's daily budget is spent: try again after `at` (the next 00:00 UTC), not in a loop. */
  async function deferred(registrationId: number, at: Date, reason: string, queue: 'registration.register' | 'registration.cancel') {
    await db.transaction().execute(async (trx) => {
      await trx.updateTable('zoom_webinar_registrations').set({ next_attempt_at: at, last_error: reason, updated_at: deps.now() }).where('id', '=', registrationId).execute();
      await jobs.send(trx, queue, { registrationId }, { startAfter: at });
    });
  }

  /** Pending registrations whose approval must wait for Zoom's next day: one approval job then. */
  async function deferApproval(webinarId: number, registrationIds: number[], at: Date, reason: string) {
    await db.transaction().execute(async (trx) => {
      await trx.updateTable('zoom_webinar_registrations').set({ next_attempt_at: at, last_error: reason, updated_at: deps.now() }).where('id', 'in', registrationIds).execute();
      await jobs.send(trx, 'registration.approve', { webinarId }, { startAfter: at, singletonKey: `approve-deferred:${webinarId}:${at.toISOString()}` });
    });
  }

  const noteError = (registrationId: number, reason: string) =>
    db.updateTable('zoom_webinar_registrations').set({ last_error: reason, updated_at: deps.now() }).where('id', '=', registrationId).execute();

  return { registered, approved, failed, deferred, deferApproval, noteError, scheduleApproval, notifyApproved };
}

export type Outcomes = ReturnType<typeof createOutcomes>;
