import { sql } from 'kysely';
import type { Logger } from 'pino';
import type { Db } from '../db/database.js';
import type { WebinarRow } from '../db/schema.js';
import type { ZoomClient } from '../zoom/client.js';
import type { ZoomRegistrant } from '../zoom/types.js';
import { ZoomApiError } from '../zoom/errors.js';
import { MAX_REGISTRANTS_PER_CALL } from '../zoom/types.js';
import type { Outcomes } from './outcomes.js';
import { budgetLeft, spendBudget } from './registrations.js';

export interface WebinarReport {
  webinar_id: number;
  zoom_webinar_id: string;
  topic: string;
  approved: Array<{ registration_id: number; email: string }>;
  skipped_unpaid: Array<{ registrant_id: string; email: string }>;
  failed: Array<{ registration_id: number; email: string; reason: string }>;
  /** Rows made equal to Zoom: approved or denied in the portal, ids learned, missed webhooks. */
  repaired: Array<{ registration_id: number; change: string }>;
}

/** Webinars students can still join: not deleted in Zoom, not over. */
export const upcomingWebinars = (db: Db) =>
  db
    .selectFrom('webinars')
    .selectAll()
    .where('deleted_in_zoom_at', 'is', null)
    .where(sql<boolean>`(webinar_type in (6, 9) or start_time is null or start_time + make_interval(mins => coalesce(duration_minutes, 60)) > now())`)
    .orderBy('start_time')
    .execute();

/**
 * The seed's "approve paid pending registrants" and the periodic reconciliation, over Zoom's own
 * lists (every page): pending registrants we have paid for are approved (30 per call); unpaid ones
 * — people who registered in Zoom directly — are left pending; approvals and denials made in Zoom's
 * portal are copied to our rows.
 */
export function createReconciler(deps: { db: Db; zoom: ZoomClient; outcomes: Outcomes; logger: Logger; now: () => Date }) {
  const { db, zoom, outcomes, now } = deps;

  async function ourRows(webinarId: number) {
    return db
      .selectFrom('zoom_webinar_registrations as r')
      .leftJoin('enrollments as e', 'e.id', 'r.enrollment_id')
      .selectAll('r')
      .select('e.status as enrollment_status')
      .where('r.webinar_id', '=', webinarId)
      .execute();
  }

  async function reconcileWebinar(w: WebinarRow, options: { approveOnly?: boolean } = {}): Promise<WebinarReport> {
    const report: WebinarReport = { webinar_id: w.id, zoom_webinar_id: w.zoom_webinar_id, topic: w.topic, approved: [], skipped_unpaid: [], failed: [], repaired: [] };
    const rows = await ourRows(w.id);
    const match = (z: ZoomRegistrant) => rows.find((r) => r.zoom_registrant_id === z.id) ?? rows.find((r) => r.email.toLowerCase() === z.email.toLowerCase());

    // 1. Pending in Zoom: approve the paid ones.
    const toApprove: Array<{ row: (typeof rows)[number]; z: ZoomRegistrant }> = [];
    for (const z of await zoom.listRegistrants(w.zoom_webinar_id, 'pending')) {
      const row = match(z);
      const paid = row && row.enrollment_status === 'active' && !row.cancel_requested_at && ['queued', 'pending', 'failed'].includes(row.status);
      if (!row || !paid) {
        report.skipped_unpaid.push({ registrant_id: z.id, email: z.email });
        continue;
      }
      if (row.status === 'queued') {
        // Our add reached Zoom but its answer did not reach us: record it as the job would have.
        await outcomes.registered(row.id, { registrantId: z.id, joinUrl: z.join_url, status: 'pending' });
        report.repaired.push({ registration_id: row.id, change: 'queued → pending (found in Zoom)' });
      } else if (row.zoom_registrant_id !== z.id || row.status !== 'pending') {
        await db.updateTable('zoom_webinar_registrations').set({ zoom_registrant_id: z.id, join_url: row.join_url ?? z.join_url, status: 'pending', failure_code: null, updated_at: now() }).where('id', '=', row.id).execute();
        report.repaired.push({ registration_id: row.id, change: `${row.status} → pending (found in Zoom)` });
      }
      if (budgetLeft(row, 'status', now()) > 0) toApprove.push({ row, z });
      else report.failed.push({ registration_id: row.id, email: row.email, reason: 'daily status budget spent; approved after 00:00 UTC' });
    }
    for (let i = 0; i < toApprove.length; i += MAX_REGISTRANTS_PER_CALL) {
      const chunk = toApprove.slice(i, i + MAX_REGISTRANTS_PER_CALL);
      await spendBudget(db, chunk.map((c) => c.row.id), 'status', now());
      const result = await zoom.updateRegistrantStatus(w.zoom_webinar_id, 'approve', chunk.map((c) => c.z.id));
      if (result.failed.length) {
        const reason = result.failed[0]!.error.zoomMessage;
        report.failed.push(...chunk.map((c) => ({ registration_id: c.row.id, email: c.row.email, reason })));
        continue;
      }
      await db.transaction().execute((trx) => outcomes.approved(trx, chunk.map((c) => c.row.id)));
      report.approved.push(...chunk.map((c) => ({ registration_id: c.row.id, email: c.row.email })));
    }
    if (options.approveOnly) return report;

    // 2. Approved or denied in Zoom while our rows say otherwise (portal actions, missed webhooks).
    for (const z of await zoom.listRegistrants(w.zoom_webinar_id, 'approved')) {
      const row = match(z);
      if (!row || row.status === 'approved' || row.status === 'cancelled' || row.cancel_requested_at) continue;
      if (row.status === 'queued') {
        await outcomes.registered(row.id, { registrantId: z.id, joinUrl: z.join_url, status: 'approved' });
      } else {
        await db.transaction().execute(async (trx) => {
          await trx.updateTable('zoom_webinar_registrations').set({ zoom_registrant_id: z.id, join_url: z.join_url, status: 'pending', updated_at: now() }).where('id', '=', row.id).execute();
          await outcomes.approved(trx, [row.id]);
        });
      }
      report.repaired.push({ registration_id: row.id, change: `${row.status} → approved (approved in Zoom)` });
    }
    for (const z of await zoom.listRegistrants(w.zoom_webinar_id, 'denied')) {
      const row = match(z);
      if (!row || ['denied', 'cancelled'].includes(row.status) || row.cancel_requested_at) continue;
      await db.updateTable('zoom_webinar_registrations').set({ status: 'denied', updated_at: now() }).where('id', '=', row.id).execute();
      report.repaired.push({ registration_id: row.id, change: `${row.status} → denied (denied in Zoom)` });
    }
    return report;
  }

  /** Every upcoming webinar (or the one with this Zoom id); a webinar Zoom fails on is reported, not fatal. */
  async function run(options: { zoomWebinarId?: string; approveOnly?: boolean } = {}) {
    const webinars = (await upcomingWebinars(db)).filter((w) => !options.zoomWebinarId || w.zoom_webinar_id === options.zoomWebinarId);
    const reports: WebinarReport[] = [];
    const errors: Array<{ webinar_id: number; error: string }> = [];
    for (const w of webinars) {
      try {
        reports.push(await reconcileWebinar(w, options));
      } catch (error) {
        if (!(error instanceof ZoomApiError)) throw error;
        errors.push({ webinar_id: w.id, error: error.message });
      }
    }
    const summary = {
      at: now().toISOString(),
      webinars: reports.length,
      approved: reports.reduce((n, r) => n + r.approved.length, 0),
      repaired: reports.reduce((n, r) => n + r.repaired.length, 0),
      skipped_unpaid: reports.reduce((n, r) => n + r.skipped_unpaid.length, 0),
      failed: reports.reduce((n, r) => n + r.failed.length, 0),
      errors,
    };
    deps.logger.info(summary, options.approveOnly ? 'approval check done' : 'reconciliation done');
    return { summary, reports };
  }

  return { run, reconcileWebinar };
}

export type Reconciler = ReturnType<typeof createReconciler>;
