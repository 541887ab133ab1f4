import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Db } from '../../db/database.js';
import { AppError } from '../../http/errors.js';
import { errors } from '../../http/schemas.js';
import { WEBHOOK_SIGNATURE_HEADER, WEBHOOK_TIMESTAMP_HEADER, type ZoomWebhookEvent } from '../types.js';
import { signatureMatches, urlValidationResponse } from '../webhook-signature.js';
import type { WebhookProcessor } from './processor.js';

/** Older deliveries are refused, so a captured request cannot be replayed later (FACTS §5.3). */
const MAX_AGE_SECONDS = 300;

const refuse = (why: string) => new AppError('webhook_signature_invalid', `Webhook refused: ${why}`);

/** Zoom retries one delivery with the same event and timestamp; this key makes a retry a no-op. */
export function dedupeKey(event: ZoomWebhookEvent): string {
  const object = event.payload?.object;
  return [event.event, event.event_ts, object?.id ?? '', object?.registrant?.id ?? object?.uuid ?? ''].join(':');
}

/**
 * POST /zoom/webhook/: checks the signature over the raw bytes, stores the event, answers at once
 * (Zoom wants an answer within 3 s and never retries a 4xx), and applies it after the answer.
 */
export const zoomWebhookRoutes: FastifyPluginAsyncTypebox<{ db: Db; secretToken: string; processor: WebhookProcessor; now?: () => number }> = async (
  app,
  { db, secretToken, processor, now = Date.now },
) => {
  // The signature covers the exact bytes Zoom sent, so the body is kept raw in this scope.
  app.removeContentTypeParser(['application/json']);
  app.addContentTypeParser('application/json', { parseAs: 'buffer', bodyLimit: 512 * 1024 }, (_request, body, done) => done(null, body));

  app.post(
    '/webhook/',
    {
      schema: {
        tags: ['zoom'],
        summary: 'Zoom webhook receiver (signed with ZOOM_WEBHOOK_SECRET_TOKEN)',
        response: {
          200: Type.Union([Type.Object({ plainToken: Type.String(), encryptedToken: Type.String() }), Type.Object({ status: Type.String() })]),
          ...errors(400, 401),
        },
      },
    },
    async (request, reply) => {
      const raw = request.body as Buffer | undefined;
      const timestamp = request.headers[WEBHOOK_TIMESTAMP_HEADER];
      const signature = request.headers[WEBHOOK_SIGNATURE_HEADER];
      if (!Buffer.isBuffer(raw) || typeof timestamp !== 'string' || typeof signature !== 'string') throw refuse('missing body, signature or timestamp');
      const age = Math.abs(now() / 1000 - Number(timestamp));
      if (!Number.isFinite(age) || age > MAX_AGE_SECONDS) throw refuse('timestamp is not within 5 minutes of now');
      if (!signatureMatches(secretToken, timestamp, raw, signature)) throw refuse('signature does not match');

      let event: ZoomWebhookEvent;
      try {
        event = JSON.parse(raw.toString('utf8')) as ZoomWebhookEvent;
      } catch {
        throw new AppError('bad_request', 'Webhook body is not JSON');
      }
      if (typeof event?.event !== 'string' || typeof event.event_ts !== 'number') throw new AppError('bad_request', 'Webhook body has no event or event_ts');

      if (event.event === 'endpoint.url_validation') {
        const plainToken = event.payload?.plainToken;
        if (typeof plainToken !== 'string') throw new AppError('bad_request', 'url_validation without plainToken');
        return urlValidationResponse(secretToken, plainToken);
      }

      const stored = await db
        .insertInto('zoom_webhook_events')
        .values({ dedupe_key: dedupeKey(event), event: event.event, event_ts: event.event_ts, payload: raw.toString('utf8') })
        .onConflict((oc) => oc.column('dedupe_key').doNothing())
        .returning('id')
        .executeTakeFirst();
      request.log.info({ event: event.event, webhookEventId: stored?.id, duplicate: !stored }, 'zoom webhook received');
      if (stored) reply.raw.once('finish', () => processor.kick());
      return { status: stored ? 'received' : 'duplicate' };
    },
  );
};
