import { Type } from '@sinclair/typebox';
import { DateTime, MoneyOut, Nullable, NullableDateTime } from '../http/schemas.js';
import { formatCents, formatMoney, parseCents } from '../shared/money.js';
import type { PaymentDetail } from './repository.js';

export const PaymentStatusSchema = Type.Union([Type.Literal('pending'), Type.Literal('verified'), Type.Literal('rejected'), Type.Literal('refunded')]);
const Person = Type.Object({ id: Type.Integer(), username: Type.String(), email: Type.String(), first_name: Type.String(), last_name: Type.String() });

const paymentFields = {
  id: Type.Integer(),
  amount: MoneyOut,
  currency: Type.String(),
  reference: Type.String(),
  status: PaymentStatusSchema,
  classes: Type.Array(Type.Object({ id: Type.Integer(), title: Type.String(), price: MoneyOut, currency: Type.String() })),
  expected_amount: Nullable(MoneyOut),
  amount_matches: Type.Boolean(),
  receipt: Type.Object({ content_type: Type.String(), size: Type.Integer(), sha256: Type.String(), original_name: Nullable(Type.String()), url: Type.String() }),
  reviewed_at: NullableDateTime,
  rejection_reason: Nullable(Type.String()),
  created_at: DateTime,
  updated_at: DateTime,
};

export const StudentPaymentSchema = Type.Object(paymentFields, { $id: 'StudentPayment' });
export const AdminPaymentSchema = Type.Object(
  { ...paymentFields, student: Person, reviewed_by: Nullable(Type.Object({ id: Type.Integer(), username: Type.String() })) },
  { $id: 'AdminPayment' },
);

/**
 * The classes' prices as snapshotted at payment time, summed; null when they are in several
 * currencies (then no single expected amount exists).
 */
function expectedAmount(p: PaymentDetail): bigint | null {
  const currencies = new Set(p.classes.map((c) => c.currency));
  if (currencies.size !== 1) return null;
  return p.classes.reduce((sum, c) => sum + (parseCents(c.price) ?? 0n), 0n);
}

function common(p: PaymentDetail, receiptUrl: string) {
  const expected = expectedAmount(p);
  return {
    id: p.row.id,
    amount: formatMoney(p.row.amount),
    currency: p.row.currency,
    reference: p.row.reference,
    status: p.row.status,
    classes: p.classes.map((c) => ({ id: c.class_id, title: c.title, price: formatMoney(c.price), currency: c.currency })),
    expected_amount: expected === null ? null : formatCents(expected),
    amount_matches: expected !== null && p.classes[0]?.currency === p.row.currency && expected === parseCents(p.row.amount),
    receipt: {
      content_type: p.row.receipt_content_type,
      size: p.row.receipt_size,
      sha256: p.row.receipt_sha256,
      original_name: p.row.receipt_original_name,
      url: receiptUrl,
    },
    reviewed_at: p.row.reviewed_at?.toISOString() ?? null,
    rejection_reason: p.row.rejection_reason,
    created_at: p.row.created_at.toISOString(),
    updated_at: p.row.updated_at.toISOString(),
  };
}

export const presentStudentPayment = (p: PaymentDetail) => common(p, `/students/receipt-payments/${p.row.id}/receipt/`);

export const presentAdminPayment = (p: PaymentDetail) => ({
  ...common(p, `/edu_admin/receipt-payments/${p.row.id}/receipt/`),
  student: p.student,
  reviewed_by: p.reviewer ? { id: p.reviewer.id, username: p.reviewer.username } : null,
});
