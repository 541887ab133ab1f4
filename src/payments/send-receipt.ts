import type { FastifyReply } from 'fastify';
import type { PaymentsService } from './service.js';

/**
 * Serves a stored receipt inline with its detected type. `nosniff` and a sandboxing CSP keep a
 * crafted file from running script in our origin.
 */
export function sendReceipt(reply: FastifyReply, file: Awaited<ReturnType<PaymentsService['receiptFile']>>) {
  const ext = file.contentType === 'application/pdf' ? 'pdf' : file.contentType.split('/')[1];
  return reply
    .header('content-type', file.contentType)
    .header('content-length', String(file.size))
    .header('content-disposition', `inline; filename="receipt-${file.payment.row.id}.${ext}"`)
    .header('x-content-type-options', 'nosniff')
    .header('content-security-policy', "sandbox; default-src 'none'")
    .header('cache-control', 'private, no-store')
    .send(file.stream);
}
