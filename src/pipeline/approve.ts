import { sql } from 'kysely';
import type { Logger } from 'pino';
import type { Db } from '../db/database.js';
import type { RegistrationRow } from '../db/schema.js';
import type { ZoomClient } from '../zoom/client.js';
import { nextUtcMidnight } from '../zoom/errors.js';
import { MAX_REGISTRANTS_PER_CALL, REGISTRANT_DAILY_LIMITS } from '../zoom/types.js';
import type { Outcomes } from './outcomes.js';
import { spendBudget, utcDay } from './registrations.js';

export interface ApprovalReport {
  approved: number[];
  deferred: number[];
  failed: Array<{ id: number; reason: string }>;
}

/** Long enough for one status call and its bookkeeping; a claim left by a crashed run then lapses. */
const CLAIM_SECONDS = 120;

/**
 * Approves the paid registrants that wait in Zoom for one webinar: only our rows (an active
 * enrollment paid for them), 30 per status call, each within its 10-per-day status budget. One job
 * per webinar coalesces registrations that arrive close together into few calls; rows are claimed
 * (SKIP LOCKED, then a claim time) so overlapping jobs, in one process or several, never approve a
 * student twice.
 */
export function createApprover(deps: { db: Db; zoom: ZoomClient; outcomes: Outcomes; logger: Logger; now: () => Date }) {
  const { db, zoom, outcomes, now } = deps;

  /** Claims up to 30 approvable rows of the webinar for this run. */
  async function claim(webinarId: number): Promise<RegistrationRow[]> {
    const day = utcDay(now());
    const until = new Date(now().getTime() + CLAIM_SECONDS * 1000);
    const rows = await sql<RegistrationRow>`
      update zoom_webinar_registrations set approval_claimed_until = ${until}, updated_at = now()
      where id in (
        select r.id from zoom_webinar_registrations r
        join enrollments e on e.id = r.enrollment_id
        where r.webinar_id = ${webinarId} and r.status = 'pending' and r.zoom_registrant_id is not null
          and r.cancel_requested_at is null and e.status = 'active'
          and (r.approval_claimed_until is null or r.approval_claimed_until < ${now()})
          and (r.status_requests_day is distinct from ${day} or r.status_requests < ${REGISTRANT_DAILY_LIMITS.status})
        order by r.id limit ${MAX_REGISTRANTS_PER_CALL}
        for update of r skip locked)
      returning *`.execute(db);
    return rows.rows;
  }

  const release = (ids: number[]) => db.updateTable('zoom_webinar_registrations').set({ approval_claimed_until: null }).where('id', 'in', ids).execute();

  /** Pending rows whose status budget for today is spent: one approval job after midnight. */
  async function deferSpent(webinarId: number): Promise<number[]> {
    const spent = await db
      .selectFrom('zoom_webinar_registrations')
      .select('id')
      .where('webinar_id', '=', webinarId)
      .where('status', '=', 'pending')
      .where('status_requests_day', '=', utcDay(now()))
      .where('status_requests', '>=', REGISTRANT_DAILY_LIMITS.status)
      .execute();
    const ids = spent.map((r) => r.id);
    if (ids.length) await outcomes.deferApproval(webinarId, ids, nextUtcMidnight(now()), 'Zoom allows 10 status changes per registrant per day; resuming after 00:00 UTC');
    return ids;
  }

  async function run(webinarId: number, attempt: { final: boolean }): Promise<ApprovalReport> {
    const report: ApprovalReport = { approved: [], deferred: [], failed: [] };
    const webinar = await db.selectFrom('webinars').select(['id', 'zoom_webinar_id']).where('id', '=', webinarId).executeTakeFirst();
    if (!webinar) return report;
    for (;;) {
      const chunk = await claim(webinarId);
      if (chunk.length === 0) break;
      const ids = chunk.map((r) => r.id);
      await spendBudget(db, ids, 'status', now());
      const result = await zoom.updateRegistrantStatus(webinar.zoom_webinar_id, 'approve', chunk.map((r) => r.zoom_registrant_id!));
      if (result.failed.length === 0) {
        await db.transaction().execute((trx) => outcomes.approved(trx, ids));
        report.approved.push(...ids);
        continue;
      }
      const error = result.failed[0]!.error;
      if (error.retry.kind === 'never') {
        const code = error.zoomCode === 3035 ? 'webinar_full' : `zoom_${error.zoomCode ?? error.status}`;
        for (const id of ids) await outcomes.failed(id, code, `Zoom refused the approval: ${error.zoomMessage}`);
        report.failed.push(...ids.map((id) => ({ id, reason: error.zoomMessage })));
      } else if (error.retry.kind === 'next_utc_day') {
        // The registrations stay pending; the approval is tried again after midnight.
        report.deferred.push(...ids);
        await outcomes.deferApproval(webinarId, ids, error.retry.at, `Zoom's daily limit: ${error.zoomMessage}`);
      } else if (attempt.final) {
        for (const id of ids) await outcomes.failed(id, 'zoom_unavailable', `Zoom kept failing the approval: ${error.zoomMessage}`);
        report.failed.push(...ids.map((id) => ({ id, reason: error.zoomMessage })));
      } else {
        // Approving twice is harmless in Zoom: release the claim and let the job be retried.
        await release(ids);
        throw error;
      }
    }
    report.deferred.push(...(await deferSpent(webinarId)));
    return report;
  }

  return { run };
}
