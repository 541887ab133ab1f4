import type { Logger } from 'pino';
import type { Db, Queryable } from '../db/database.js';
import type { JobQueue } from '../jobs/queue.js';
import type { WebinarRow } from '../db/schema.js';
import type { ZoomClient } from '../zoom/client.js';
import { ZoomApiError } from '../zoom/errors.js';
import { listQuestions } from '../zoom/questions.js';
import { MAX_REGISTRANTS_PER_CALL } from '../zoom/types.js';
import type { Outcomes } from './outcomes.js';
import { budgetLeft, enrollmentRank, spendBudget } from './registrations.js';

/**
 * Batch registration (FACTS §2.2) sends only names and emails, 30 per HEAVY call, and with
 * `auto_approve` approves in the same call. It serves a scheduled webinar (type 5) that asks no
 * required question — then a class of 300 is registered and approved in ten calls instead of 300
 * adds and ten status calls. Anything else goes through one add per student.
 */
export function batchEligible(w: Pick<WebinarRow, 'webinar_type' | 'approval_type' | 'questions'>): boolean {
  return w.webinar_type === 5 && (w.approval_type === 0 || w.approval_type === 1) && listQuestions(w.questions).every((q) => !q.required);
}

export function createBatchRegistrar(deps: { db: Db; zoom: ZoomClient; jobs: JobQueue; outcomes: Outcomes; logger: Logger; now: () => Date }) {
  const { db, zoom, jobs, outcomes, now } = deps;

  /** Students the batch did not settle go back to their own register job, which looks before adding. */
  const toSinglePath = (ids: number[]) => db.transaction().execute((trx) => jobs.insert(trx, 'registration.register', ids.map((registrationId) => ({ data: { registrationId } }))));

  /** One batch job per webinar per second, like approvals. */
  const schedule = (trx: Queryable, webinarId: number) =>
    jobs.send(trx, 'registration.batch', { webinarId }, { singletonKey: `batch:${webinarId}`, singletonSeconds: 1, singletonNextSlot: true });

  /** Registers up to 30 queued students of one webinar; returns how many are left queued. */
  async function run(webinarId: number, attempt: { final: boolean }): Promise<number> {
    const webinar = await db.selectFrom('webinars').selectAll().where('id', '=', webinarId).executeTakeFirst();
    if (!webinar || !batchEligible(webinar)) return 0;
    const queued = await db
      .selectFrom('zoom_webinar_registrations as r')
      .innerJoin('users as u', 'u.id', 'r.student_id')
      .innerJoin('enrollments as e', 'e.id', 'r.enrollment_id')
      .selectAll('r')
      .select(['u.first_name', 'u.last_name'])
      .where('r.webinar_id', '=', webinarId)
      .where('r.status', '=', 'queued')
      .where('e.status', '=', 'active')
      .where('r.cancel_requested_at', 'is', null)
      // A registration whose earlier add has an unknown outcome is looked up by the single path.
      .where('r.add_attempted_at', 'is', null)
      .where((eb) => eb.or([eb('r.next_attempt_at', 'is', null), eb('r.next_attempt_at', '<=', now())]))
      .orderBy('r.id')
      .limit(MAX_REGISTRANTS_PER_CALL)
      .execute();
    // The same seat check as the single path: past the class's capacity, the registration fails.
    const cls = await db.selectFrom('classes').select(['id', 'title', 'capacity']).where('id', '=', webinar.class_id).executeTakeFirstOrThrow();
    const seated: typeof queued = [];
    for (const r of queued) {
      if (cls.capacity !== null && (await enrollmentRank(db, cls.id, r.enrollment_id ?? 0)) > cls.capacity) {
        await outcomes.failed(r.id, 'class_full', `the class "${cls.title}" is at its capacity of ${cls.capacity}`);
      } else seated.push(r);
    }
    const batch = seated.filter((r) => budgetLeft(r, 'add', now()) > 0);
    if (batch.length === 0) return 0;
    const ids = batch.map((r) => r.id);
    await db.updateTable('zoom_webinar_registrations').set((eb) => ({ add_attempted_at: now(), attempts: eb('attempts', '+', 1), updated_at: now() })).where('id', 'in', ids).execute();
    await spendBudget(db, ids, 'add', now());
    try {
      const result = await zoom.batchRegistrants(webinar.zoom_webinar_id, {
        auto_approve: webinar.approval_type === 1,
        registrants: batch.map((r) => ({ email: r.email, first_name: r.first_name.slice(0, 64), last_name: r.last_name.slice(0, 64) || undefined })),
      });
      const unsettled: number[] = [];
      for (const r of batch) {
        const z = result.registrants.find((x) => x.email.toLowerCase() === r.email.toLowerCase());
        if (z) await outcomes.registered(r.id, { registrantId: z.registrant_id, joinUrl: z.join_url, status: 'approved' });
        else unsettled.push(r.id);
      }
      // Zoom answered without some students: the single path looks them up and adds if needed.
      if (unsettled.length) await toSinglePath(unsettled);
    } catch (error) {
      if (!(error instanceof ZoomApiError)) throw error;
      if (error.status === 429 && error.retry.kind === 'soon') {
        // Refused at Zoom's per-second gate: nothing was added or counted; give the adds back and
        // try the batch again shortly (as register.ts does for a single add).
        await db
          .updateTable('zoom_webinar_registrations')
          .set((eb) => ({ add_requests: eb('add_requests', '-', 1), add_attempted_at: null, updated_at: now() }))
          .where('id', 'in', ids)
          .where('add_requests', '>', 0)
          .execute();
        if (!attempt.final) throw error;
        await toSinglePath(ids);
        return 0;
      }
      if (error.retry.kind === 'never') {
        for (const id of ids) await outcomes.failed(id, `zoom_${error.zoomCode ?? error.status}`, `Zoom refused the batch registration: ${error.zoomMessage}`);
        return 0;
      }
      if (error.retry.kind === 'next_utc_day') {
        for (const id of ids) await outcomes.deferred(id, error.retry.at, `Zoom's daily limit: ${error.zoomMessage}`, 'registration.register');
        return 0;
      }
      // Unknown outcome: each student's own register job looks them up before adding again.
      for (const id of ids) await outcomes.noteError(id, error.zoomMessage);
      await toSinglePath(ids);
      deps.logger.warn({ webinarId, err: error, attempt }, 'batch registration outcome unknown; registrants will be looked up one by one');
      return 0;
    }
    const left = seated.length - batch.length;
    if (queued.length === MAX_REGISTRANTS_PER_CALL || left > 0) await db.transaction().execute((trx) => schedule(trx, webinarId));
    return left;
  }

  return { run, schedule };
}

export type BatchRegistrar = ReturnType<typeof createBatchRegistrar>;
