import type { PaymentHooks } from '../payments/service.js';
import { formatMoney } from '../shared/money.js';
import type { Notifier } from './notifier.js';

/** Verify and reject tell the student, in the same transaction as the change they report. */
export function notificationPaymentHooks(notifier: Notifier): PaymentHooks {
  return {
    async afterVerify(trx, { payment, enrollmentIds }) {
      if (enrollmentIds.length === 0) return;
      const enrollments = await trx
        .selectFrom('enrollments as e')
        .innerJoin('classes as c', 'c.id', 'e.class_id')
        .select(['e.id', 'e.class_id', 'c.title'])
        .where('e.id', 'in', enrollmentIds)
        .execute();
      for (const e of enrollments) {
        await notifier.notify(trx, {
          userId: payment.student_id,
          type: 'class_enrollment',
          data: { class_id: e.class_id, class_title: e.title, enrollment_id: e.id, payment_id: payment.id },
          dedupeKey: `enrollment:${e.id}:confirmed`,
        });
      }
    },
    async afterReject(trx, { payment }) {
      await notifier.notify(trx, {
        userId: payment.student_id,
        type: 'payment_rejected',
        data: { payment_id: payment.id, reason: payment.rejection_reason ?? '', amount: formatMoney(payment.amount), currency: payment.currency },
        dedupeKey: `payment:${payment.id}:rejected`,
      });
    },
  };
}
