import { sql } from 'kysely';
import type { Db } from '../db/database.js';
import type { ZoomClient } from '../zoom/client.js';
import { ZoomApiError } from '../zoom/errors.js';
import { upcomingWebinars } from './reconcile.js';

const STATUSES = ['queued', 'pending', 'approved', 'denied', 'cancelled', 'failed'] as const;

/** Percentiles of verify → approved, in seconds (null without data). */
async function verifyToApproved(db: Db, webinarId?: number) {
  const row = await sql<{ n: number; p50: number | null; p90: number | null; max: number | null }>`
    select count(*)::int as n,
           percentile_cont(0.5) within group (order by secs) as p50,
           percentile_cont(0.9) within group (order by secs) as p90,
           max(secs) as max
    from (select extract(epoch from (r.approved_at - p.reviewed_at))::float8 as secs
          from zoom_webinar_registrations r join receipt_payments p on p.id = r.payment_id
          where r.status = 'approved' and r.approved_at is not null and p.reviewed_at is not null
            and (${webinarId ?? null}::int is null or r.webinar_id = ${webinarId ?? null}::int)) t`.execute(db);
  const m = row.rows[0]!;
  const round = (v: number | null) => (v === null ? null : Math.round(Number(v) * 1000) / 1000);
  return { approved_count: Number(m.n), p50_seconds: round(m.p50), p90_seconds: round(m.p90), max_seconds: round(m.max) };
}

/**
 * The seed's pending-status answer: per upcoming webinar, who waits in Zoom (paid or not), our
 * counts per status and how long students wait from verify to approval.
 */
export async function pendingStatus(db: Db, zoom: ZoomClient) {
  const webinars = [];
  const totals: Record<string, number> = { zoom_pending_paid: 0, zoom_pending_unpaid: 0, ...Object.fromEntries(STATUSES.map((s) => [s, 0])) };
  for (const w of await upcomingWebinars(db)) {
    const counts = await db.selectFrom('zoom_webinar_registrations').select(['status', (eb) => eb.fn.countAll<number>().as('n')]).where('webinar_id', '=', w.id).groupBy('status').execute();
    const byStatus = Object.fromEntries(STATUSES.map((s) => [s, Number(counts.find((c) => c.status === s)?.n ?? 0)]));
    let zoomPending: { paid: number; unpaid: number } | null = null;
    let zoomError: string | null = null;
    try {
      const pending = await zoom.listRegistrants(w.zoom_webinar_id, 'pending');
      const paid = await db
        .selectFrom('zoom_webinar_registrations as r')
        .innerJoin('enrollments as e', 'e.id', 'r.enrollment_id')
        .select(['r.zoom_registrant_id', 'r.email'])
        .where('r.webinar_id', '=', w.id)
        .where('e.status', '=', 'active')
        .execute();
      const ids = new Set(paid.map((p) => p.zoom_registrant_id));
      const emails = new Set(paid.map((p) => p.email.toLowerCase()));
      const paidCount = pending.filter((z) => ids.has(z.id) || emails.has(z.email.toLowerCase())).length;
      zoomPending = { paid: paidCount, unpaid: pending.length - paidCount };
      totals.zoom_pending_paid! += paidCount;
      totals.zoom_pending_unpaid! += pending.length - paidCount;
    } catch (error) {
      if (!(error instanceof ZoomApiError)) throw error;
      zoomError = error.message;
    }
    for (const s of STATUSES) totals[s]! += byStatus[s]!;
    webinars.push({
      webinar_id: w.zoom_webinar_id,
      id: w.id,
      topic: w.topic,
      start_time: w.start_time?.toISOString() ?? null,
      pending_in_zoom: zoomPending,
      zoom_error: zoomError,
      ...byStatus,
      total: Object.values(byStatus).reduce((a, b) => a + b, 0),
      verify_to_approved: await verifyToApproved(db, w.id),
    });
  }
  return { webinars, totals, verify_to_approved: await verifyToApproved(db) };
}
