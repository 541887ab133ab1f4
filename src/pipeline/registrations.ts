import { sql } from 'kysely';
import type { Queryable } from '../db/database.js';
import type { RegistrationRow } from '../db/schema.js';
import type { JobQueue } from '../jobs/queue.js';
import { REGISTRANT_DAILY_LIMITS } from '../zoom/types.js';

/** Zoom counts per registrant per UTC day (FACTS §3.2); our counters use the same day. */
export const utcDay = (now: Date) => now.toISOString().slice(0, 10);

/** How many requests of a kind are left today for a registration, from its stored counters. */
export function budgetLeft(row: Pick<RegistrationRow, 'add_requests_day' | 'add_requests' | 'status_requests_day' | 'status_requests'>, kind: 'add' | 'status', now: Date): number {
  const day = utcDay(now);
  const used = kind === 'add' ? (row.add_requests_day === day ? row.add_requests : 0) : row.status_requests_day === day ? row.status_requests : 0;
  return REGISTRANT_DAILY_LIMITS[kind] - used;
}

/** Counts one more request of a kind against today's budget of each registration. */
export async function spendBudget(db: Queryable, ids: number[], kind: 'add' | 'status', now: Date): Promise<void> {
  if (ids.length === 0) return;
  const day = utcDay(now);
  const dayCol = kind === 'add' ? 'add_requests_day' : 'status_requests_day';
  const countCol = kind === 'add' ? 'add_requests' : 'status_requests';
  await sql`update zoom_webinar_registrations
            set ${sql.ref(countCol)} = case when ${sql.ref(dayCol)} = ${day} then ${sql.ref(countCol)} + 1 else 1 end,
                ${sql.ref(dayCol)} = ${day}, updated_at = now()
            where id = any(${ids}::int[])`.execute(db);
}

/**
 * One registration per (enrollment, upcoming webinar of its class), queued, each with its job —
 * in the caller's transaction. A registration that was cancelled or failed before (re-enrollment,
 * a retry) is queued again rather than duplicated.
 */
export async function queueRegistrations(db: Queryable, jobs: JobQueue, filter: { enrollmentIds?: number[]; webinarId?: number }): Promise<number[]> {
  const rows = await sql<{ id: number }>`
    insert into zoom_webinar_registrations (student_id, webinar_id, enrollment_id, payment_id, email, status)
    select e.student_id, w.id, e.id, e.payment_id, u.email, 'queued'
    from enrollments e
    join webinars w on w.class_id = e.class_id
    join users u on u.id = e.student_id
    where e.status = 'active'
      and w.deleted_in_zoom_at is null
      and (w.webinar_type in (6, 9) or w.start_time is null
           or w.start_time + make_interval(mins => coalesce(w.duration_minutes, 60)) > now())
      and (${filter.enrollmentIds ?? null}::int[] is null or e.id = any(${filter.enrollmentIds ?? null}::int[]))
      and (${filter.webinarId ?? null}::int is null or w.id = ${filter.webinarId ?? null}::int)
    on conflict (student_id, webinar_id) do update
      set status = 'queued', enrollment_id = excluded.enrollment_id, payment_id = excluded.payment_id, email = excluded.email,
          failure_code = null, last_error = null, cancel_requested_at = null, cancel_reason = null, next_attempt_at = null, updated_at = now()
      where zoom_webinar_registrations.status in ('cancelled', 'failed')
    returning id`.execute(db);
  await jobs.insert(
    db,
    'registration.register',
    rows.rows.map((r) => ({ data: { registrationId: r.id } })),
  );
  return rows.rows.map((r) => r.id);
}

/** Everything the register job needs about one registration, in one query. */
export async function loadRegistration(db: Queryable, id: number) {
  return db
    .selectFrom('zoom_webinar_registrations as r')
    .innerJoin('webinars as w', 'w.id', 'r.webinar_id')
    .innerJoin('users as u', 'u.id', 'r.student_id')
    .leftJoin('enrollments as e', 'e.id', 'r.enrollment_id')
    .leftJoin('receipt_payments as p', 'p.id', 'r.payment_id')
    .innerJoin('classes as c', 'c.id', 'w.class_id')
    .selectAll('r')
    .select([
      'u.username',
      'u.first_name',
      'u.last_name',
      'e.status as enrollment_status',
      'e.id as enrollment_row_id',
      'p.reference as payment_reference',
      'p.reviewed_at as verified_at',
      'c.id as class_id',
      'c.title as class_title',
      'c.capacity as class_capacity',
    ])
    .where('r.id', '=', id)
    .executeTakeFirst();
}

export type LoadedRegistration = NonNullable<Awaited<ReturnType<typeof loadRegistration>>>;

/** A student's place among the class's active enrollments (1 = first): past the capacity, no seat. */
export async function enrollmentRank(db: Queryable, classId: number, enrollmentId: number): Promise<number> {
  const row = await db
    .selectFrom('enrollments')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('class_id', '=', classId)
    .where('status', '=', 'active')
    .where('id', '<=', enrollmentId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
