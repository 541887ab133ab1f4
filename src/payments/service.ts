import { recordAudit } from '../audit/audit.js';
import type { Db, Queryable, Tx } from '../db/database.js';
import type { PaymentRow, PaymentStatus } from '../db/schema.js';
import { AppError, notFound } from '../http/errors.js';
import { formatCents } from '../shared/money.js';
import type { ReceiptStore } from './receipt-store.js';
import { listPayments, lockPayment, paymentClassIds, withDetails, type PaymentDetail } from './repository.js';

export interface ReceiptSubmission {
  studentId: number;
  classIds: number[];
  amountCents: bigint;
  currency: string;
  reference: string;
  originalName: string | null;
}

export interface EnrollmentBrief {
  id: number;
  class_id: number;
  class_title: string;
}

export interface VerifyOutcome {
  payment: PaymentDetail;
  /** Enrollments this payment created (now or on an earlier verify of it). */
  enrollments_created: EnrollmentBrief[];
  /** Classes the student was already enrolled in through another payment. */
  enrollments_already_present: EnrollmentBrief[];
}

/**
 * The seam the pipeline hangs on: called inside the verify transaction with the enrollments it
 * created, so that notifications and Zoom registration jobs commit (or roll back) with them.
 */
export interface PaymentHooks {
  afterVerify(trx: Tx, event: { payment: PaymentRow; enrollmentIds: number[] }): Promise<void>;
  afterReject(trx: Tx, event: { payment: PaymentRow }): Promise<void>;
}

export const noPaymentHooks: PaymentHooks = { afterVerify: async () => {}, afterReject: async () => {} };

export interface PaymentsServiceDeps {
  db: Db;
  receipts: ReceiptStore;
  hooks?: PaymentHooks;
}

export type PaymentsService = ReturnType<typeof createPaymentsService>;

export function createPaymentsService({ db, receipts, hooks = noPaymentHooks }: PaymentsServiceDeps) {
  async function detail(db_: Queryable, row: PaymentRow): Promise<PaymentDetail> {
    const [d] = await withDetails(db_, [row]);
    return d!;
  }

  /**
   * Stores a pending payment for an already-saved receipt file. On any refusal the file is
   * removed, so a rejected upload leaves nothing behind.
   */
  async function submit(input: ReceiptSubmission, receipt: Awaited<ReturnType<ReceiptStore['save']>>): Promise<PaymentDetail> {
    try {
      return await db.transaction().execute(async (trx) => {
        const classes = await trx.selectFrom('classes').select(['id', 'price', 'currency', 'is_active']).where('id', 'in', input.classIds).execute();
        const found = new Set(classes.filter((c) => c.is_active).map((c) => c.id));
        const unknown = input.classIds.filter((id) => !found.has(id));
        if (unknown.length > 0) {
          throw new AppError('unknown_class', `No open class with id ${unknown.join(', ')}`, [
            { field: 'class_ids', message: `unknown or closed class: ${unknown.join(', ')}` },
          ]);
        }
        const enrolled = await trx
          .selectFrom('enrollments')
          .innerJoin('classes', 'classes.id', 'enrollments.class_id')
          .select(['classes.id', 'classes.title'])
          .where('enrollments.student_id', '=', input.studentId)
          .where('enrollments.class_id', 'in', input.classIds)
          .where('enrollments.status', '=', 'active')
          .execute();
        if (enrolled.length > 0) {
          throw new AppError('already_enrolled', `You are already enrolled in ${enrolled.map((c) => `"${c.title}"`).join(', ')}`, [
            { field: 'class_ids', message: `already enrolled: ${enrolled.map((c) => c.id).join(', ')}` },
          ]);
        }
        const row = await trx
          .insertInto('receipt_payments')
          .values({
            student_id: input.studentId,
            amount: formatCents(input.amountCents),
            currency: input.currency,
            reference: input.reference,
            receipt_path: receipt.path,
            receipt_content_type: receipt.contentType,
            receipt_size: receipt.size,
            receipt_sha256: receipt.sha256,
            receipt_original_name: input.originalName,
          })
          .returningAll()
          .executeTakeFirstOrThrow();
        await trx
          .insertInto('receipt_payment_classes')
          .values(classes.map((c) => ({ payment_id: row.id, class_id: c.id, price: c.price, currency: c.currency })))
          .execute();
        return detail(trx, row);
      });
    } catch (error) {
      await receipts.remove(receipt.path);
      throw error;
    }
  }

  /** Which enrollment stands for each class of the payment, and whether this payment made it. */
  async function enrollmentOutcome(db_: Queryable, payment: PaymentRow): Promise<Omit<VerifyOutcome, 'payment'>> {
    const classIds = await paymentClassIds(db_, payment.id);
    const active = await db_
      .selectFrom('enrollments')
      .innerJoin('classes', 'classes.id', 'enrollments.class_id')
      .select(['enrollments.id', 'enrollments.class_id', 'enrollments.payment_id', 'classes.title'])
      .where('enrollments.student_id', '=', payment.student_id)
      .where('enrollments.class_id', 'in', classIds)
      .where('enrollments.status', '=', 'active')
      .orderBy('enrollments.class_id')
      .execute();
    const brief = (e: (typeof active)[number]) => ({ id: e.id, class_id: e.class_id, class_title: e.title });
    return {
      enrollments_created: active.filter((e) => e.payment_id === payment.id).map(brief),
      enrollments_already_present: active.filter((e) => e.payment_id !== payment.id).map(brief),
    };
  }

  /**
   * Verifies a payment and enrolls the student in every class it paid for, in one transaction.
   * The payment row is locked first, so concurrent verifies of one payment run one after the
   * other and the later ones find it verified; the partial unique index on active enrollments
   * makes two payments for one class end in one enrollment. A repeat answers the same outcome.
   */
  async function verify(actorId: number, paymentId: number): Promise<VerifyOutcome> {
    return db.transaction().execute(async (trx) => {
      let payment = await lockPayment(trx, paymentId);
      if (!payment) throw notFound('Payment');
      if (payment.status === 'rejected' || payment.status === 'refunded') {
        throw new AppError('payment_not_pending', `Payment ${paymentId} is ${payment.status}; it can no longer be verified`);
      }
      if (payment.status === 'pending') {
        payment = await trx
          .updateTable('receipt_payments')
          .set({ status: 'verified', reviewed_by: actorId, reviewed_at: new Date(), updated_at: new Date() })
          .where('id', '=', paymentId)
          .returningAll()
          .executeTakeFirstOrThrow();
        const classIds = await paymentClassIds(trx, paymentId);
        const created = await trx
          .insertInto('enrollments')
          .values(classIds.map((classId) => ({ student_id: payment!.student_id, class_id: classId, payment_id: paymentId })))
          .onConflict((oc) => oc.columns(['student_id', 'class_id']).where('status', '=', 'active').doNothing())
          .returning('id')
          .execute();
        const enrollmentIds = created.map((e) => e.id);
        await recordAudit(trx, { actorId, action: 'payment.verify', entityType: 'receipt_payment', entityId: paymentId, details: { enrollment_ids: enrollmentIds } });
        await hooks.afterVerify(trx, { payment, enrollmentIds });
      }
      return { payment: await detail(trx, payment), ...(await enrollmentOutcome(trx, payment)) };
    });
  }

  async function reject(actorId: number, paymentId: number, reason: string): Promise<PaymentDetail> {
    return db.transaction().execute(async (trx) => {
      let payment = await lockPayment(trx, paymentId);
      if (!payment) throw notFound('Payment');
      if (payment.status === 'rejected') return detail(trx, payment);
      if (payment.status !== 'pending') {
        throw new AppError('payment_not_pending', `Payment ${paymentId} is ${payment.status}; only a pending payment can be rejected`);
      }
      payment = await trx
        .updateTable('receipt_payments')
        .set({ status: 'rejected', rejection_reason: reason, reviewed_by: actorId, reviewed_at: new Date(), updated_at: new Date() })
        .where('id', '=', paymentId)
        .returningAll()
        .executeTakeFirstOrThrow();
      await recordAudit(trx, { actorId, action: 'payment.reject', entityType: 'receipt_payment', entityId: paymentId, details: { reason } });
      await hooks.afterReject(trx, { payment });
      return detail(trx, payment);
    });
  }

  /** One payment; with `studentId`, only if it is that student's (anything else is "not found"). */
  async function get(paymentId: number, studentId?: number): Promise<PaymentDetail> {
    let query = db.selectFrom('receipt_payments').selectAll().where('id', '=', paymentId);
    if (studentId !== undefined) query = query.where('student_id', '=', studentId);
    const row = await query.executeTakeFirst();
    if (!row) throw notFound('Payment');
    return detail(db, row);
  }

  async function list(filter: { status?: PaymentStatus; studentId?: number; limit: number; offset: number }) {
    const { rows, count } = await listPayments(db, filter);
    return { payments: await withDetails(db, rows), count };
  }

  /** The receipt file of a payment, for its owner or an admin. */
  async function receiptFile(paymentId: number, studentId?: number) {
    const payment = await get(paymentId, studentId);
    return { stream: receipts.open(payment.row.receipt_path), contentType: payment.row.receipt_content_type, size: payment.row.receipt_size, payment };
  }

  return { submit, verify, reject, get, list, receiptFile };
}
