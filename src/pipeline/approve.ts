import type { Logger } from 'pino';
import type { Db } from '../db/database.js';
import type { ZoomClient } from '../zoom/client.js';
import type { ZoomApiError } from '../zoom/errors.js';
import { nextUtcMidnight } from '../zoom/errors.js';
import { MAX_REGISTRANTS_PER_CALL } from '../zoom/types.js';
import type { Outcomes } from './outcomes.js';
import { budgetLeft, spendBudget } from './registrations.js';

export interface ApprovalReport {
  approved: number[];
  deferred: number[];
  failed: Array<{ id: number; reason: string }>;
}

/**
 * Approves the paid registrants that wait in Zoom for one webinar: only our rows (an active
 * enrollment paid for them), 30 per status call, each within its 10-per-day status budget. One job
 * per webinar coalesces registrations that arrive close together into few calls.
 */
export function createApprover(deps: { db: Db; zoom: ZoomClient; outcomes: Outcomes; logger: Logger; now: () => Date }) {
  const { db, zoom, outcomes, now } = deps;

  async function run(webinarId: number, attempt: { final: boolean }): Promise<ApprovalReport> {
    const report: ApprovalReport = { approved: [], deferred: [], failed: [] };
    const webinar = await db.selectFrom('webinars').select(['id', 'zoom_webinar_id']).where('id', '=', webinarId).executeTakeFirst();
    if (!webinar) return report;
    const rows = await db
      .selectFrom('zoom_webinar_registrations as r')
      .innerJoin('enrollments as e', 'e.id', 'r.enrollment_id')
      .selectAll('r')
      .where('r.webinar_id', '=', webinarId)
      .where('r.status', '=', 'pending')
      .where('r.zoom_registrant_id', 'is not', null)
      .where('r.cancel_requested_at', 'is', null)
      .where('e.status', '=', 'active')
      .orderBy('r.id')
      .execute();
    const ready = rows.filter((r) => budgetLeft(r, 'status', now()) > 0);
    const spent = rows.filter((x) => !ready.includes(x)).map((r) => r.id);
    if (spent.length) {
      await outcomes.deferApproval(webinarId, spent, nextUtcMidnight(now()), 'Zoom allows 10 status changes per registrant per day; resuming after 00:00 UTC');
      report.deferred.push(...spent);
    }
    for (let i = 0; i < ready.length; i += MAX_REGISTRANTS_PER_CALL) {
      const chunk = ready.slice(i, i + MAX_REGISTRANTS_PER_CALL);
      const ids = chunk.map((r) => r.id);
      await spendBudget(db, ids, 'status', now());
      const result = await zoom.updateRegistrantStatus(webinar.zoom_webinar_id, 'approve', chunk.map((r) => r.zoom_registrant_id!));
      if (result.failed.length === 0) {
        await db.transaction().execute((trx) => outcomes.approved(trx, ids));
        report.approved.push(...ids);
        continue;
      }
      const error: ZoomApiError = result.failed[0]!.error;
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
        // Approving twice is harmless, so the whole job is simply retried.
        throw error;
      }
    }
    return report;
  }

  return { run };
}
