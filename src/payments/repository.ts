import type { Queryable } from '../db/database.js';
import type { PaymentRow, PaymentStatus } from '../db/schema.js';

export interface PaymentClass {
  class_id: number;
  title: string;
  price: string;
  currency: string;
}

export interface PaymentPerson {
  id: number;
  username: string;
  email: string;
  first_name: string;
  last_name: string;
}

/** A payment with what its presenters need: the classes paid for, the student, the reviewer. */
export interface PaymentDetail {
  row: PaymentRow;
  classes: PaymentClass[];
  student: PaymentPerson;
  reviewer: PaymentPerson | null;
}

export const lockPayment = (trx: Queryable, id: number) =>
  trx.selectFrom('receipt_payments').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();

export const paymentClassIds = async (db: Queryable, paymentId: number) =>
  (await db.selectFrom('receipt_payment_classes').select('class_id').where('payment_id', '=', paymentId).orderBy('class_id').execute()).map(
    (r) => r.class_id,
  );

/** Loads the related rows of many payments in three queries, whatever the page size. */
export async function withDetails(db: Queryable, rows: PaymentRow[]): Promise<PaymentDetail[]> {
  if (rows.length === 0) return [];
  const paymentIds = rows.map((r) => r.id);
  const userIds = [...new Set(rows.flatMap((r) => (r.reviewed_by ? [r.student_id, r.reviewed_by] : [r.student_id])))];
  const [classes, users] = await Promise.all([
    db
      .selectFrom('receipt_payment_classes as pc')
      .innerJoin('classes as c', 'c.id', 'pc.class_id')
      .select(['pc.payment_id', 'pc.class_id', 'c.title', 'pc.price', 'pc.currency'])
      .where('pc.payment_id', 'in', paymentIds)
      .orderBy('pc.class_id')
      .execute(),
    db.selectFrom('users').select(['id', 'username', 'email', 'first_name', 'last_name']).where('id', 'in', userIds).execute(),
  ]);
  const userById = new Map(users.map((u) => [u.id, u]));
  return rows.map((row) => ({
    row,
    classes: classes.filter((c) => c.payment_id === row.id).map(({ payment_id: _p, ...c }) => c),
    student: userById.get(row.student_id)!,
    reviewer: row.reviewed_by ? (userById.get(row.reviewed_by) ?? null) : null,
  }));
}

export interface PaymentFilter {
  status?: PaymentStatus;
  studentId?: number;
  limit: number;
  offset: number;
}

export async function listPayments(db: Queryable, filter: PaymentFilter) {
  let query = db.selectFrom('receipt_payments');
  if (filter.status) query = query.where('status', '=', filter.status);
  if (filter.studentId) query = query.where('student_id', '=', filter.studentId);
  // A pending queue is worked oldest first; history reads newest first.
  const direction = filter.status === 'pending' ? 'asc' : 'desc';
  const [rows, total] = await Promise.all([
    query.selectAll().orderBy('id', direction).limit(filter.limit).offset(filter.offset).execute(),
    query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows, count: Number(total.n) };
}
