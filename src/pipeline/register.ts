import type { Logger } from 'pino';
import type { Db } from '../db/database.js';
import type { ZoomClient } from '../zoom/client.js';
import { nextUtcMidnight, ZoomApiError } from '../zoom/errors.js';
import { buildRegistrant, effectiveMapping, listQuestions } from '../zoom/questions.js';
import { readiness } from '../webinars/presenter.js';
import { batchEligible, type BatchRegistrar } from './batch.js';
import type { Outcomes } from './outcomes.js';
import { budgetLeft, enrollmentRank, loadRegistration, spendBudget, utcDay, type LoadedRegistration } from './registrations.js';

export type RegisterOutcome = 'registered' | 'found' | 'batched' | 'deferred' | 'failed' | 'not-queued' | 'cancelled' | 'missing';

/** Zoom codes that mean "full", so the student and admin hear the real reason (FACTS §2.10, §7 #7). */
const CAPACITY_CODES = new Set([3035, 3043]);
const failureCode = (e: ZoomApiError) =>
  CAPACITY_CODES.has(e.zoomCode ?? 0) || /limit for the number of attendees|maximum attendee capacity/i.test(e.zoomMessage) ? 'webinar_full' : `zoom_${e.zoomCode ?? e.status}`;

/**
 * Registers one student for one webinar. It is a job: it may run twice, crash half way, or meet a
 * Zoom that fails. So it records each add before sending it, looks the registrant up instead of
 * adding again when an earlier outcome is unknown, keeps to 3 adds per registrant per UTC day,
 * defers to the next day rather than looping on a daily 429, and ends in a visible `failed`.
 */
export function createRegistrar(deps: { db: Db; zoom: ZoomClient; outcomes: Outcomes; logger: Logger; now: () => Date; batch: BatchRegistrar }) {
  const { db, zoom, outcomes, now } = deps;

  /** The registrant Zoom already has for this email, if any (pending or approved; all pages). */
  async function lookUp(r: LoadedRegistration, zoomWebinarId: string) {
    for (const status of ['pending', 'approved'] as const) {
      const found = (await zoom.listRegistrants(zoomWebinarId, status)).find((x) => x.email.toLowerCase() === r.email.toLowerCase());
      if (found) return { registrantId: found.id, joinUrl: found.join_url, status };
    }
    return undefined;
  }

  async function run(registrationId: number, attempt: { final: boolean }): Promise<RegisterOutcome> {
    const r = await loadRegistration(db, registrationId);
    if (!r) return 'missing';
    if (r.status !== 'queued') return 'not-queued';
    if (r.enrollment_status !== 'active' || r.cancel_requested_at) {
      await db.updateTable('zoom_webinar_registrations').set({ status: 'cancelled', updated_at: now() }).where('id', '=', r.id).where('status', '=', 'queued').execute();
      return 'cancelled';
    }
    if (r.next_attempt_at && r.next_attempt_at > now()) return 'deferred';

    const webinar = await db.selectFrom('webinars').selectAll().where('id', '=', r.webinar_id).executeTakeFirstOrThrow();
    const ready = readiness(webinar);
    if (!ready.ready) {
      await outcomes.failed(r.id, 'webinar_not_ready', ready.problems.join(' '));
      return 'failed';
    }
    if (r.class_capacity !== null && (await enrollmentRank(db, r.class_id, r.enrollment_row_id ?? 0)) > r.class_capacity) {
      await outcomes.failed(r.id, 'class_full', `the class "${r.class_title}" is at its capacity of ${r.class_capacity}`);
      return 'failed';
    }
    const questions = listQuestions(webinar.questions);
    const { input, missing } = buildRegistrant(questions, effectiveMapping(questions, webinar.answer_mapping), {
      username: r.username,
      email: r.email,
      first_name: r.first_name,
      last_name: r.last_name,
      payment_id: r.payment_id ? String(r.payment_id) : '',
      payment_reference: r.payment_reference ?? '',
      class_title: r.class_title,
    });
    if (missing.length) {
      await outcomes.failed(r.id, 'answer_missing', `no answer for the required question(s) ${missing.map((m) => `"${m}"`).join(', ')} for this student`);
      return 'failed';
    }

    // A scheduled webinar that asks nothing required: students go to Zoom 30 at a time, approved
    // in the same call (batch.ts). A student whose batch outcome was lost comes back here.
    if (batchEligible(webinar) && !r.add_attempted_at && !r.zoom_registrant_id) {
      await db.transaction().execute((trx) => deps.batch.schedule(trx, webinar.id));
      return 'batched';
    }

    // Set once this run's add is counted against today's budget (the UTC day it was counted on).
    let addCountedOn: string | undefined;
    try {
      // A webhook may have told us of the registrant before our own answer was processed.
      if (r.zoom_registrant_id && r.join_url) {
        await outcomes.registered(r.id, { registrantId: r.zoom_registrant_id, joinUrl: r.join_url, status: webinar.approval_type === 0 ? 'approved' : 'pending' });
        return 'found';
      }
      // An earlier add may have reached Zoom without us hearing back: look before adding again.
      if (r.add_attempted_at && !r.zoom_registrant_id) {
        const found = await lookUp(r, webinar.zoom_webinar_id);
        if (found) {
          await outcomes.registered(r.id, found);
          return 'found';
        }
      }
      if (budgetLeft(r, 'add', now()) <= 0) {
        await outcomes.deferred(r.id, nextUtcMidnight(now()), 'Zoom allows 3 add requests per registrant per day; resuming after 00:00 UTC', 'registration.register');
        return 'deferred';
      }
      // Recorded before the request leaves, so a crash after sending still counts it.
      await db.updateTable('zoom_webinar_registrations').set((eb) => ({ add_attempted_at: now(), attempts: eb('attempts', '+', 1), updated_at: now() })).where('id', '=', r.id).execute();
      const sentAt = now();
      await spendBudget(db, [r.id], 'add', sentAt);
      addCountedOn = utcDay(sentAt);
      const occurrences = webinar.webinar_type === 9 && webinar.registration_type === 3 ? (webinar.occurrences as Array<{ occurrence_id: string }>).map((o) => o.occurrence_id) : undefined;
      const created = await zoom.addRegistrant(webinar.zoom_webinar_id, input, occurrences);
      const status = created.status === 'approved' || webinar.approval_type === 0 ? 'approved' : 'pending';
      await outcomes.registered(r.id, { registrantId: created.registrant_id, joinUrl: created.join_url, status });
      return 'registered';
    } catch (error) {
      if (!(error instanceof ZoomApiError)) throw error;
      if (addCountedOn && error.status === 429 && error.retry.kind === 'soon') {
        // A per-second 429 is refused at Zoom's gate: nothing was added and nothing counted toward
        // the registrant's 3 adds a day. Give the unit back and forget this attempt (an earlier
        // unknown one stays), or a busy Zoom would defer the student to the next day.
        await db
          .updateTable('zoom_webinar_registrations')
          .set((eb) => ({ add_requests: eb('add_requests', '-', 1), add_attempted_at: r.add_attempted_at, updated_at: now() }))
          .where('id', '=', r.id)
          .where('add_requests_day', '=', addCountedOn)
          .where('add_requests', '>', 0)
          .execute();
      }
      if (error.retry.kind === 'never') {
        await outcomes.failed(r.id, failureCode(error), `Zoom refused: ${error.zoomMessage}`);
        return 'failed';
      }
      if (error.retry.kind === 'next_utc_day') {
        await outcomes.deferred(r.id, error.retry.at, `Zoom's daily limit: ${error.zoomMessage}`, 'registration.register');
        return 'deferred';
      }
      if (attempt.final) {
        await outcomes.failed(r.id, 'zoom_unavailable', `Zoom kept failing: ${error.zoomMessage}`);
        return 'failed';
      }
      await outcomes.noteError(r.id, error.zoomMessage);
      throw error;
    }
  }

  return { run };
}
