import { setTimeout as sleep } from 'node:timers/promises';
import { isDeepStrictEqual } from 'node:util';
import { sql } from 'kysely';
import { expect } from 'vitest';
import type { Db } from '../../src/db/database.js';
import type { FaultSpec } from '../../src/zoom/simulator/index.js';
import type { ZoomRegistrant } from '../../src/zoom/types.js';
import { countedAddsByEmail, type AddPost } from './zoom-adds.js';

/** What the pipeline must end with for a batch of paid students of one webinar. */
export interface ExactlyOnceExpectation {
  db: Db;
  /** Our webinar id. */
  webinarId: number;
  zoomWebinarId: string;
  students: Array<{ id: number; email: string }>;
  /** Every registrant of the webinar in Zoom, any status. */
  registrants: ZoomRegistrant[];
  /** Every add POST sent to Zoom during the run. */
  addPosts: AddPost[];
  /**
   * A worker was killed during the run: one killed after counting an add and before sending it
   * leaves a count with no request (on purpose — the count comes first), so the stored counter may
   * then exceed what Zoom saw.
   */
  workerKilled?: boolean;
}

/** Registrations of a webinar per status, e.g. { approved: 198, pending: 2 }. */
export async function statusCounts(db: Db, webinarId: number): Promise<Record<string, number>> {
  const rows = await db.selectFrom('zoom_webinar_registrations').select(['status', (eb) => eb.fn.countAll<number>().as('n')]).where('webinar_id', '=', webinarId).groupBy('status').execute();
  return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
}

/**
 * Registration jobs waiting (retries in backoff included) or running: zero means the pipeline has
 * nothing more to do. The reconciliation is a schedule, not work in flight.
 */
export async function registrationJobsInFlight(db: Db): Promise<number> {
  const { rows } = await sql<{ n: number }>`select count(*)::int as n from pgboss.job
    where name like 'registration.%' and name <> 'registration.reconcile' and state in ('created', 'retry', 'active')`.execute(db);
  return Number(rows[0]!.n);
}

/**
 * Takes the periodic reconciliation (every few minutes, on the clock) off the schedule, with any run
 * already queued: a test then sees what the pipeline's own jobs and webhooks do, never a repair by
 * a reconciliation that happened to fire, and a reconciliation it asks for finds the work undone.
 */
export async function unscheduleReconciliation(db: Db): Promise<void> {
  await sql`delete from pgboss.schedule where name = 'registration.reconcile'`.execute(db);
  await sql`delete from pgboss.job where name = 'registration.reconcile' and state in ('created', 'retry')`.execute(db);
}

/**
 * Every student approved exactly once: one approved row each with Zoom's registrant and link, one
 * registrant per student in Zoom (approved), each of the three notices once, no add beyond Zoom's
 * daily budget (3 per registrant), nothing failed and nobody told of a problem.
 */
export async function expectApprovedExactlyOnce(e: ExactlyOnceExpectation): Promise<void> {
  const { db, webinarId, students } = e;
  const byEmail = new Map(students.map((s) => [s.email.toLowerCase(), s]));

  const rows = await db.selectFrom('zoom_webinar_registrations').selectAll().where('webinar_id', '=', webinarId).execute();
  expect(await statusCounts(db, webinarId)).toEqual({ approved: students.length });
  expect(new Set(rows.map((r) => r.student_id))).toEqual(new Set(students.map((s) => s.id)));

  // Zoom: exactly one registrant per student, approved, and it is the one our row names.
  expect(e.registrants.map((r) => r.email.toLowerCase()).sort()).toEqual([...byEmail.keys()].sort());
  expect(e.registrants.filter((r) => r.status !== 'approved')).toEqual([]);
  const registrantOf = new Map(e.registrants.map((r) => [r.email.toLowerCase(), r]));
  for (const row of rows) {
    const registrant = registrantOf.get(row.email.toLowerCase())!;
    expect({ id: row.zoom_registrant_id, join_url: row.join_url }).toEqual({ id: registrant.id, join_url: registrant.join_url });
  }

  // Each of the three notices exactly once per student, and nothing else.
  const notes = await db
    .selectFrom('notifications')
    .select(['user_id', 'type', (eb) => eb.fn.countAll<number>().as('n')])
    .where('user_id', 'in', students.map((s) => s.id))
    .groupBy(['user_id', 'type'])
    .execute();
  const perStudent = new Map<number, Record<string, number>>();
  for (const n of notes) perStudent.set(n.user_id, { ...perStudent.get(n.user_id), [n.type]: Number(n.n) });
  const expected = { class_enrollment: 1, webinar_registration: 1, webinar_approval: 1 };
  const wrong = students.map((s) => ({ student: s.email, notifications: perStudent.get(s.id) ?? {} })).filter((x) => !isDeepStrictEqual(x.notifications, expected));
  expect(wrong).toEqual([]);
  // The approval notice carries the student's own join link.
  const approvals = await db.selectFrom('notifications').select(['user_id', 'data']).where('user_id', 'in', students.map((s) => s.id)).where('type', '=', 'webinar_approval').execute();
  const joinUrlOf = new Map(rows.map((r) => [r.student_id, r.join_url]));
  expect(approvals.filter((a) => (a.data as { join_url?: string }).join_url !== joinUrlOf.get(a.user_id))).toEqual([]);
  // No admin was told of a failed registration for this webinar.
  const problems = await db
    .selectFrom('notifications')
    .select('id')
    .where('type', '=', 'registration_problem')
    .where(sql<boolean>`(data->>'webinar_id')::int = ${webinarId}`)
    .execute();
  expect(problems).toEqual([]);

  // Zoom's daily budget: no email got more than 3 counted add requests, and every student got one.
  const adds = countedAddsByEmail(e.addPosts, e.zoomWebinarId);
  const over = [...adds].filter(([, n]) => n > 3);
  expect(over).toEqual([]);
  expect([...byEmail.keys()].filter((email) => !adds.has(email))).toEqual([]);
  // Nor does the pipeline believe it spent more than Zoom counted (it would defer students to the
  // next day for nothing): its stored counter is at most the adds that got past Zoom's gate.
  if (e.workerKilled) return;
  const overCounted = rows.filter((r) => r.add_requests > (adds.get(r.email.toLowerCase()) ?? 0)).map((r) => ({ email: r.email, stored: r.add_requests, counted: adds.get(r.email.toLowerCase()) ?? 0 }));
  expect(overCounted).toEqual([]);
}

/**
 * Waits until all `count` registrations of the webinar are approved and no registration job is
 * waiting or running; on timeout the error shows where the pipeline stood.
 */
export async function waitForAllApproved(db: Db, webinarId: number, count: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const counts = await statusCounts(db, webinarId);
    const inFlight = await registrationJobsInFlight(db);
    if (counts.approved === count && inFlight === 0) return;
    if (Date.now() > deadline) {
      const errors = await db
        .selectFrom('zoom_webinar_registrations')
        .select(['id', 'status', 'attempts', 'add_requests', 'status_requests', 'failure_code', 'last_error', 'next_attempt_at'])
        .where('webinar_id', '=', webinarId)
        .where('status', '!=', 'approved')
        .limit(5)
        .execute();
      const jobs = await sql<Record<string, unknown>>`select name, state, retry_count, start_after, started_on, completed_on, output from pgboss.job
        where name = 'registration.register' and (data->>'registrationId')::int = any(${errors.map((r) => r.id)}::int[])`.execute(db);
      throw new Error(
        `timed out after ${timeoutMs} ms waiting for ${count} approvals: ${JSON.stringify(counts)}, ${inFlight} registration jobs in flight; e.g. ${JSON.stringify(errors)}; their register jobs: ${JSON.stringify(jobs.rows)}`,
      );
    }
    await sleep(250);
  }
}

/** About 20% of the Zoom calls the pipeline makes fail, in every way Zoom fails (see FaultSpec). */
export const PIPELINE_FAULTS: FaultSpec[] = (() => {
  const add = { method: 'POST', path: '/webinars/:webinarId/registrants' };
  const status = { method: 'PUT', path: '/webinars/:webinarId/registrants/status' };
  const list = { method: 'GET', path: '/webinars/:webinarId/registrants' };
  return [
    // Adds refused before anything happened: rare, because the pipeline rightly counts such an add
    // against the registrant's 3 a day (Zoom may have), and three in a row defer a student to the
    // next day — at 3% that happens to one of 200 students in about 0.5% of runs…
    { match: add, kind: 'http_500', when: 'before', times: 1 },
    { match: add, kind: 'http_500', when: 'before', probability: 0.02 },
    { match: add, kind: 'reset', when: 'before', probability: 0.01 },
    // …and mostly the registrant was added and the answer lost: the job must look before adding again.
    { match: add, kind: 'http_503', when: 'after', probability: 0.08 },
    { match: add, kind: 'reset', when: 'after', probability: 0.06 },
    { match: add, kind: 'slow', when: 'after', probability: 0.03, delayMs: 2_500 },
    // Status changes (approvals), both ways; they are few (30 registrants a call), so one of each
    // kind surely happens, then about 20%.
    { match: status, kind: 'http_503', when: 'before', times: 1 },
    { match: status, kind: 'http_500', when: 'after', times: 1 },
    { match: status, kind: 'reset', when: 'after', times: 1 },
    { match: status, kind: 'http_503', when: 'before', probability: 0.04 },
    { match: status, kind: 'token_expired', when: 'before', probability: 0.02 },
    { match: status, kind: 'http_500', when: 'after', probability: 0.08 },
    { match: status, kind: 'reset', when: 'after', probability: 0.04 },
    { match: status, kind: 'slow', when: 'after', probability: 0.02, delayMs: 2_500 },
    // Lookups.
    { match: list, kind: 'http_500', when: 'before', probability: 0.1 },
    { match: list, kind: 'reset', when: 'before', probability: 0.05 },
    { match: list, kind: 'slow', when: 'before', probability: 0.03, delayMs: 2_500 },
    { match: list, kind: 'token_expired', when: 'before', probability: 0.02 },
  ];
})();
