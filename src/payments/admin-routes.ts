import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Config } from '../config.js';
import { currentUser } from '../http/auth-guard.js';
import { pageEnvelope, pageParams } from '../http/paging.js';
import { errors, Page, PageQuery } from '../http/schemas.js';
import { PaymentStatusSchema, presentAdminPayment } from './presenter.js';
import { sendReceipt } from './send-receipt.js';
import type { PaymentsService } from './service.js';

// The seed names the parameter receipt_id on verify/reject; the contract keeps it.
const ReceiptParams = Type.Object({ receipt_id: Type.Integer({ minimum: 1, maximum: 2_147_483_647 }) });
const EnrollmentBrief = Type.Object({ id: Type.Integer(), class_id: Type.Integer(), class_title: Type.String() });
const VerifyResult = Type.Object({
  payment: Type.Ref('AdminPayment'),
  enrollments_created: Type.Array(EnrollmentBrief),
  enrollments_already_present: Type.Array(EnrollmentBrief),
});

export const adminPaymentRoutes: FastifyPluginAsyncTypebox<{ config: Config; payments: PaymentsService }> = async (app, { config, payments }) => {
  const tags = ['admin: payments'];

  app.get(
    '/receipt-payments/',
    {
      schema: {
        tags,
        summary: 'Receipt payments; pending ones oldest first, others newest first',
        querystring: Type.Object({
          ...PageQuery,
          status: Type.Optional(PaymentStatusSchema),
          student: Type.Optional(Type.Integer({ minimum: 1 })),
        }),
        response: { 200: Page(Type.Ref('AdminPayment')), ...errors(400, 401, 403) },
      },
    },
    async (request) => {
      const page = pageParams(request.query);
      const { status, student } = request.query;
      const { payments: rows, count } = await payments.list({ status, studentId: student, limit: page.limit, offset: page.offset });
      return pageEnvelope(request, config.publicUrl, page, count, rows.map(presentAdminPayment));
    },
  );

  app.get(
    '/receipt-payments/:receipt_id/',
    { schema: { tags, summary: 'One payment, with amount_matches', params: ReceiptParams, response: { 200: Type.Ref('AdminPayment'), ...errors(401, 403, 404) } } },
    async (request) => presentAdminPayment(await payments.get(request.params.receipt_id)),
  );

  app.get(
    '/receipt-payments/:receipt_id/receipt/',
    { schema: { tags, summary: 'The receipt file', params: ReceiptParams, response: errors(401, 403, 404) } },
    async (request, reply) => sendReceipt(reply, await payments.receiptFile(request.params.receipt_id)),
  );

  app.post(
    '/receipt-payments/:receipt_id/verify/',
    {
      schema: {
        tags,
        summary: 'Verify a payment: enrolls the student in every class it paid for, exactly once',
        description: 'Idempotent: verifying a verified payment answers 200 with the same result. A rejected or refunded payment answers 409.',
        params: ReceiptParams,
        response: { 200: VerifyResult, ...errors(401, 403, 404, 409) },
      },
    },
    async (request) => {
      const outcome = await payments.verify(currentUser(request).id, request.params.receipt_id);
      return { ...outcome, payment: presentAdminPayment(outcome.payment) };
    },
  );

  app.post(
    '/receipt-payments/:receipt_id/reject/',
    {
      schema: {
        tags,
        summary: 'Reject a pending payment with a reason the student will see',
        params: ReceiptParams,
        body: Type.Object({ reason: Type.String({ minLength: 1, maxLength: 1000, pattern: '\\S' }) }, { additionalProperties: false }),
        response: { 200: Type.Ref('AdminPayment'), ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (request) => presentAdminPayment(await payments.reject(currentUser(request).id, request.params.receipt_id, request.body.reason.trim())),
  );
};
