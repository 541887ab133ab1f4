import type { Queryable } from '../db/database.js';
import type { ClassRow, WebinarRow } from '../db/schema.js';
import type { ClassWithCounts } from './presenter.js';

/** Adds active-enrollment counts and webinars (soonest first) to a set of class rows. */
export async function withCounts(db: Queryable, rows: ClassRow[]): Promise<ClassWithCounts[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const [counts, webinars] = await Promise.all([
    db
      .selectFrom('enrollments')
      .select(['class_id', (eb) => eb.fn.countAll<number>().as('n')])
      .where('class_id', 'in', ids)
      .where('status', '=', 'active')
      .groupBy('class_id')
      .execute(),
    db.selectFrom('webinars').selectAll().where('class_id', 'in', ids).orderBy('start_time', 'asc').orderBy('id').execute(),
  ]);
  const countOf = new Map(counts.map((c) => [c.class_id, Number(c.n)]));
  const webinarsOf = new Map<number, WebinarRow[]>();
  for (const w of webinars) webinarsOf.set(w.class_id, [...(webinarsOf.get(w.class_id) ?? []), w]);
  return rows.map((row) => ({ row, enrolledCount: countOf.get(row.id) ?? 0, webinars: webinarsOf.get(row.id) ?? [] }));
}

export const findClass = (db: Queryable, id: number) => db.selectFrom('classes').selectAll().where('id', '=', id).executeTakeFirst();

export async function listClasses(db: Queryable, options: { activeOnly: boolean; limit: number; offset: number }) {
  let query = db.selectFrom('classes');
  if (options.activeOnly) query = query.where('is_active', '=', true);
  const [rows, total] = await Promise.all([
    query.selectAll().orderBy('id').limit(options.limit).offset(options.offset).execute(),
    query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows, count: Number(total.n) };
}

/** Class ids among `classIds` in which the student has an active enrollment. */
export async function enrolledClassIds(db: Queryable, studentId: number, classIds: number[]): Promise<Set<number>> {
  if (classIds.length === 0) return new Set();
  const rows = await db
    .selectFrom('enrollments')
    .select('class_id')
    .where('student_id', '=', studentId)
    .where('class_id', 'in', classIds)
    .where('status', '=', 'active')
    .execute();
  return new Set(rows.map((r) => r.class_id));
}
