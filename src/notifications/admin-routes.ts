import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Config } from '../config.js';
import { currentUser } from '../http/auth-guard.js';
import { pageEnvelope, pageParams } from '../http/paging.js';
import { DateTime, errors, IdParams, Nullable, NullableDateTime, Page, PageQuery } from '../http/schemas.js';
import type { BroadcastsService } from './broadcasts.js';
import type { DeliveriesService } from './deliveries.js';
import { CHANNELS } from './types.js';

const DeliveryStatusSchema = Type.Union([Type.Literal('queued'), Type.Literal('sending'), Type.Literal('sent'), Type.Literal('failed'), Type.Literal('skipped')]);

const Delivery = Type.Object({
  id: Type.Integer(),
  notification_id: Type.Integer(),
  user_id: Type.Integer(),
  type: Type.String(),
  title: Type.String(),
  channel: Type.String(),
  recipient: Type.String(),
  status: Type.String({ description: 'queued | sending | sent | failed | skipped' }),
  attempts: Type.Integer(),
  last_error: Nullable(Type.String()),
  sent_at: NullableDateTime,
  created_at: DateTime,
  updated_at: DateTime,
});

const Broadcast = Type.Object({
  id: Type.Integer(),
  class_id: Nullable(Type.Integer()),
  title: Type.String(),
  message: Type.String(),
  channels: Type.Array(Type.String()),
  recipients: Type.Integer(),
  emails_queued: Type.Integer(),
  created: Type.Boolean({ description: 'false when this idempotency key was used before: nothing new was sent' }),
  created_at: DateTime,
});

export const adminNotificationRoutes: FastifyPluginAsyncTypebox<{ config: Config; broadcasts: BroadcastsService; deliveries: DeliveriesService }> = async (
  app,
  { config, broadcasts, deliveries },
) => {
  const tags = ['admin: notifications'];

  app.post(
    '/notifications/broadcast/',
    {
      schema: {
        tags,
        summary: 'Announce to everyone enrolled in a class, or to all students',
        description: 'Idempotent with `idempotency_key` (or an Idempotency-Key header): the same key again sends nothing new.',
        headers: Type.Object({ 'idempotency-key': Type.Optional(Type.String({ minLength: 1, maxLength: 200 })) }),
        body: Type.Object(
          {
            class_id: Type.Optional(Type.Integer({ minimum: 1 })),
            title: Type.String({ minLength: 1, maxLength: 200, pattern: '\\S' }),
            message: Type.String({ minLength: 1, maxLength: 5000, pattern: '\\S' }),
            channels: Type.Array(Type.Union(CHANNELS.map((c) => Type.Literal(c))), { minItems: 1, uniqueItems: true, default: ['in_app', 'email'] }),
            idempotency_key: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
          },
          { additionalProperties: false },
        ),
        response: { 200: Broadcast, 201: Broadcast, ...errors(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      const { body } = request;
      const result = await broadcasts.broadcast(currentUser(request).id, {
        classId: body.class_id,
        title: body.title.trim(),
        message: body.message.trim(),
        channels: body.channels,
        idempotencyKey: body.idempotency_key ?? request.headers['idempotency-key'],
      });
      const b = result.broadcast;
      return reply.status(result.created ? 201 : 200).send({
        id: b.id,
        class_id: b.class_id,
        title: b.title,
        message: b.message,
        channels: b.channels,
        recipients: b.recipients,
        emails_queued: result.emails,
        created: result.created,
        created_at: b.created_at.toISOString(),
      });
    },
  );

  app.get(
    '/notification-deliveries/',
    {
      schema: {
        tags,
        summary: 'Email deliveries with their status, newest first',
        querystring: Type.Object({ ...PageQuery, status: Type.Optional(DeliveryStatusSchema) }),
        response: { 200: Page(Delivery), ...errors(400, 401, 403) },
      },
    },
    async (request) => {
      const page = pageParams(request.query);
      const { rows, count } = await deliveries.list({ status: request.query.status, limit: page.limit, offset: page.offset });
      return pageEnvelope(request, config.publicUrl, page, count, rows);
    },
  );

  app.post(
    '/notification-deliveries/:id/retry/',
    { schema: { tags, summary: 'Send a failed email again', params: IdParams, response: { 200: Delivery, ...errors(401, 403, 404, 409) } } },
    async (request) => deliveries.retry(currentUser(request).id, request.params.id),
  );
};
