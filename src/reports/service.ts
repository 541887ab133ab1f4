import { sql } from 'kysely';
import type { Db } from '../db/database.js';
import type { RegistrationStatus } from '../db/schema.js';

/**
 * The admin's reports, read from the pipeline's rows: per class how many registrations reached
 * Zoom and how many were approved, how long students waited from the verify to the approval, and
 * why registrations are failing now. Plain SQL that PostgreSQL and PGlite run alike.
 */

export const REGISTRATION_STATUSES = ['queued', 'pending', 'approved', 'denied', 'cancelled', 'failed'] as const satisfies readonly RegistrationStatus[];
type StatusCounts = Record<(typeof REGISTRATION_STATUSES)[number], number> & { total: number };

/** The verify → approved histogram's buckets: [min, max) in seconds, the last one open-ended. */
export const WAIT_BUCKETS: ReadonlyArray<{ label: string; min: number; max: number | null }> = [
  { label: '< 10 s', min: 0, max: 10 },
  { label: '10–30 s', min: 10, max: 30 },
  { label: '30 s–1 min', min: 30, max: 60 },
  { label: '1–5 min', min: 60, max: 300 },
  { label: '5–15 min', min: 300, max: 900 },
  { label: '15–60 min', min: 900, max: 3600 },
  { label: '1–6 h', min: 3600, max: 21_600 },
  { label: '6–24 h', min: 21_600, max: 86_400 },
  { label: '≥ 1 day', min: 86_400, max: null },
];

/** A share as a fraction 0…1 with four places, or null when there is nothing to divide by. */
export const rate = (part: number, whole: number): number | null => (whole > 0 ? Math.round((part / whole) * 10_000) / 10_000 : null);

/**
 * registration_rate: of the registrations that should exist in Zoom (all but cancelled ones), the
 * share that got there (pending, approved or denied in Zoom). approval_rate: of those in Zoom, the
 * share approved.
 */
export function rates(c: StatusCounts) {
  const inZoom = c.pending + c.approved + c.denied;
  return { registered_in_zoom: inZoom, registration_rate: rate(inZoom, c.total - c.cancelled), approval_rate: rate(c.approved, inZoom) };
}

const seconds = (v: unknown): number | null => (v === null || v === undefined ? null : Math.round(Number(v) * 1000) / 1000);

export type ReportsService = ReturnType<typeof createReportsService>;

export function createReportsService({ db, now = () => new Date() }: { db: Db; now?: () => Date }) {
  async function perClass() {
    const statusCounts = sql.join(REGISTRATION_STATUSES.map((s) => sql`count(r.id) filter (where r.status = ${s})::int as ${sql.ref(s)}`));
    const { rows } = await sql<{ class_id: number; title: string; is_active: boolean; capacity: number | null; enrolled: number; webinars: number } & StatusCounts>`
      select c.id as class_id, c.title, c.is_active, c.capacity,
             (select count(*) from enrollments e where e.class_id = c.id and e.status = 'active')::int as enrolled,
             (select count(*) from webinars w2 where w2.class_id = c.id)::int as webinars,
             ${statusCounts},
             count(r.id)::int as total
      from classes c
      left join webinars w on w.class_id = c.id
      left join zoom_webinar_registrations r on r.webinar_id = w.id
      group by c.id, c.title, c.is_active, c.capacity
      order by c.id`.execute(db);
    return rows.map((row) => {
      const registrations = Object.fromEntries([...REGISTRATION_STATUSES, 'total'].map((s) => [s, Number(row[s as keyof StatusCounts])])) as StatusCounts;
      return {
        class_id: row.class_id,
        title: row.title,
        is_active: row.is_active,
        capacity: row.capacity,
        enrolled: Number(row.enrolled),
        webinars: Number(row.webinars),
        registrations,
        ...rates(registrations),
      };
    });
  }

  /** Every registration ever approved (also ones cancelled since): seconds from its payment's verify to the approval. */
  async function verifyToApproved() {
    const buckets = sql.join(
      WAIT_BUCKETS.map((b, i) => sql`count(*) filter (where secs >= ${b.min}::float8${b.max === null ? sql`` : sql` and secs < ${b.max}::float8`})::int as ${sql.ref(`b${i}`)}`),
    );
    const { rows } = await sql<Record<string, number | null>>`
      select count(*)::int as n,
             percentile_cont(0.5) within group (order by secs) as p50,
             percentile_cont(0.9) within group (order by secs) as p90,
             percentile_cont(0.99) within group (order by secs) as p99,
             max(secs) as max,
             ${buckets}
      from (select greatest(0, extract(epoch from (r.approved_at - p.reviewed_at)))::float8 as secs
            from zoom_webinar_registrations r
            join receipt_payments p on p.id = r.payment_id
            where r.approved_at is not null and p.reviewed_at is not null) t`.execute(db);
    const m = rows[0]!;
    return {
      count: Number(m.n),
      p50_seconds: seconds(m.p50),
      p90_seconds: seconds(m.p90),
      p99_seconds: seconds(m.p99),
      max_seconds: seconds(m.max),
      buckets: WAIT_BUCKETS.map((b, i) => ({ label: b.label, min_seconds: b.min, max_seconds: b.max, count: Number(m[`b${i}`] ?? 0) })),
    };
  }

  /** Registrations failed now, by reason code, with the latest message of each as an example. */
  async function failures() {
    const { rows } = await sql<{ failure_code: string; count: number; latest_at: Date | string; example: string | null }>`
      select coalesce(failure_code, 'unknown') as failure_code,
             count(*)::int as count,
             max(updated_at) as latest_at,
             (array_agg(last_error order by updated_at desc, id desc))[1] as example
      from zoom_webinar_registrations
      where status = 'failed'
      group by coalesce(failure_code, 'unknown')
      order by count desc, failure_code`.execute(db);
    return rows.map((r) => ({ failure_code: r.failure_code, count: Number(r.count), latest_at: new Date(r.latest_at).toISOString(), example: r.example }));
  }

  async function summary() {
    const classes = await perClass();
    const registrations = Object.fromEntries([...REGISTRATION_STATUSES, 'total'].map((s) => [s, classes.reduce((sum, c) => sum + c.registrations[s as keyof StatusCounts], 0)])) as StatusCounts;
    return {
      generated_at: now().toISOString(),
      totals: { classes: classes.length, enrolled: classes.reduce((sum, c) => sum + c.enrolled, 0), registrations, ...rates(registrations) },
      classes,
      verify_to_approved: await verifyToApproved(),
      failures: await failures(),
    };
  }

  return { summary };
}
