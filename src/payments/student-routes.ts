import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Config } from '../config.js';
import { currentUser } from '../http/auth-guard.js';
import { pageEnvelope, pageParams } from '../http/paging.js';
import { errors, IdParams, Page, PageQuery } from '../http/schemas.js';
import { presentStudentPayment } from './presenter.js';
import { readReceiptForm } from './receipt-form.js';
import type { ReceiptStore } from './receipt-store.js';
import { sendReceipt } from './send-receipt.js';
import type { PaymentsService } from './service.js';

export const studentPaymentRoutes: FastifyPluginAsyncTypebox<{ config: Config; payments: PaymentsService; receipts: ReceiptStore }> = async (
  app,
  { config, payments, receipts },
) => {
  const tags = ['student: payments'];

  app.post(
    '/receipt-payments/',
    {
      schema: {
        tags,
        summary: 'Submit a payment receipt for one or more classes',
        description:
          'multipart/form-data with `file` (JPEG, PNG, WebP or PDF, detected from its bytes), `class_ids` (repeat the field, or comma-separate), `amount`, `currency` and `reference`. Answers 201 with the pending payment.',
        consumes: ['multipart/form-data'],
        response: { 201: Type.Ref('StudentPayment'), ...errors(400, 401, 403, 409, 413, 415) },
      },
    },
    async (request, reply) => {
      const form = await readReceiptForm(request, receipts);
      const payment = await payments.submit({ ...form, studentId: currentUser(request).id }, form.receipt);
      return reply.status(201).send(presentStudentPayment(payment));
    },
  );

  app.get(
    '/receipt-payments/',
    {
      schema: {
        tags,
        summary: 'My payments, newest first',
        querystring: Type.Object(PageQuery),
        response: { 200: Page(Type.Ref('StudentPayment')), ...errors(400, 401, 403) },
      },
    },
    async (request) => {
      const page = pageParams(request.query);
      const { payments: rows, count } = await payments.list({ studentId: currentUser(request).id, limit: page.limit, offset: page.offset });
      return pageEnvelope(request, config.publicUrl, page, count, rows.map(presentStudentPayment));
    },
  );

  app.get(
    '/receipt-payments/:id/',
    { schema: { tags, summary: 'One of my payments', params: IdParams, response: { 200: Type.Ref('StudentPayment'), ...errors(401, 403, 404) } } },
    async (request) => presentStudentPayment(await payments.get(request.params.id, currentUser(request).id)),
  );

  app.get(
    '/receipt-payments/:id/receipt/',
    { schema: { tags, summary: 'The receipt file of one of my payments', params: IdParams, response: errors(401, 403, 404) } },
    async (request, reply) => sendReceipt(reply, await payments.receiptFile(request.params.id, currentUser(request).id)),
  );
};
