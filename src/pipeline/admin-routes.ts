import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Config } from '../config.js';
import type { Db } from '../db/database.js';
import { currentUser } from '../http/auth-guard.js';
import { pageEnvelope, pageParams } from '../http/paging.js';
import { errors, IdParams, Page, PageQuery } from '../http/schemas.js';
import type { Pipeline } from './index.js';
import { pendingStatus } from './status.js';
import type { ZoomClient } from '../zoom/client.js';

const tags = ['admin: registrations'];
const Reason = Type.Object({ reason: Type.String({ minLength: 1, maxLength: 1000, pattern: '\\S' }) }, { additionalProperties: false });
const RegistrationStatus = Type.Union(['queued', 'pending', 'approved', 'denied', 'cancelled', 'failed'].map((s) => Type.Literal(s)));

const ApprovalAnswer = Type.Object({
  webinars: Type.Array(
    Type.Object({
      webinar_id: Type.String({ description: "Zoom's webinar id" }),
      topic: Type.String(),
      approved: Type.Array(Type.Object({ registration_id: Type.Integer(), email: Type.String() })),
      skipped_unpaid: Type.Array(Type.Object({ registrant_id: Type.String(), email: Type.String() })),
      failed: Type.Array(Type.Object({ registration_id: Type.Integer(), email: Type.String(), reason: Type.String() })),
      repaired: Type.Array(Type.Object({ registration_id: Type.Integer(), change: Type.String() })),
    }),
  ),
  totals: Type.Object({ approved: Type.Integer(), skipped_unpaid: Type.Integer(), failed: Type.Integer(), repaired: Type.Integer() }),
  errors: Type.Array(Type.Object({ webinar_id: Type.Integer(), error: Type.String() })),
});

const Registration = Type.Object({
  id: Type.Integer(),
  status: Type.String(),
  student: Type.Object({ id: Type.Integer(), username: Type.String(), email: Type.String(), name: Type.String() }),
  webinar: Type.Object({ id: Type.Integer(), zoom_webinar_id: Type.String(), topic: Type.String() }),
  zoom_registrant_id: Type.Union([Type.String(), Type.Null()]),
  join_url: Type.Union([Type.String(), Type.Null()]),
  attempts: Type.Integer(),
  failure_code: Type.Union([Type.String(), Type.Null()]),
  last_error: Type.Union([Type.String(), Type.Null()]),
  next_attempt_at: Type.Union([Type.String(), Type.Null()]),
  approved_at: Type.Union([Type.String(), Type.Null()]),
  created_at: Type.String(),
  updated_at: Type.String(),
});

export const adminPipelineRoutes: FastifyPluginAsyncTypebox<{ config: Config; db: Db; pipeline: Pipeline; zoom: ZoomClient }> = async (app, { config, db, pipeline, zoom }) => {
  const approvalAnswer = (result: Awaited<ReturnType<Pipeline['reconciler']['run']>>) => ({
    webinars: result.reports.map((r) => ({ webinar_id: r.zoom_webinar_id, topic: r.topic, approved: r.approved, skipped_unpaid: r.skipped_unpaid, failed: r.failed, repaired: r.repaired })),
    totals: { approved: result.summary.approved, skipped_unpaid: result.summary.skipped_unpaid, failed: result.summary.failed, repaired: result.summary.repaired },
    errors: result.summary.errors,
  });

  app.post(
    '/approve-webinar-registrations/',
    {
      schema: {
        tags,
        summary: 'Approve the paid pending registrants now, for one webinar (its Zoom id) or all upcoming ones',
        body: Type.Optional(Type.Object({ webinar_id: Type.Optional(Type.String({ pattern: '^[0-9]{1,20}$' })) })),
        response: { 200: ApprovalAnswer, ...errors(400, 401, 403) },
      },
    },
    async (request) => approvalAnswer(await pipeline.reconciler.run({ zoomWebinarId: request.body?.webinar_id, approveOnly: true })),
  );

  app.post(
    '/approve-all-webinar-registrations/',
    { schema: { tags, summary: 'Approve the paid pending registrants of every upcoming webinar now', response: { 200: ApprovalAnswer, ...errors(401, 403) } } },
    async () => approvalAnswer(await pipeline.reconciler.run({ approveOnly: true })),
  );

  app.post(
    '/reconcile/',
    { schema: { tags, summary: 'Compare every upcoming webinar with Zoom now and repair differences', response: { 200: ApprovalAnswer, ...errors(401, 403) } } },
    async () => approvalAnswer(await pipeline.reconciler.run()),
  );

  app.get(
    '/webinar-pending-status/',
    {
      schema: {
        tags,
        summary: 'Per webinar: pending in Zoom (paid / unpaid), approved, queued, failed, totals, and verify-to-approval times',
        response: { 200: Type.Unknown(), ...errors(401, 403) },
      },
    },
    async () => pendingStatus(db, zoom),
  );

  app.get(
    '/registrations/',
    {
      schema: {
        tags,
        summary: 'Zoom registrations, filtered by status and webinar, searchable by student',
        querystring: Type.Object({ ...PageQuery, status: Type.Optional(RegistrationStatus), webinar: Type.Optional(Type.Integer({ minimum: 1 })), q: Type.Optional(Type.String({ maxLength: 200 })) }),
        response: { 200: Page(Registration), ...errors(400, 401, 403) },
      },
    },
    async (request) => {
      const page = pageParams(request.query);
      let query = db
        .selectFrom('zoom_webinar_registrations as r')
        .innerJoin('users as u', 'u.id', 'r.student_id')
        .innerJoin('webinars as w', 'w.id', 'r.webinar_id');
      if (request.query.status) query = query.where('r.status', '=', request.query.status as 'failed');
      if (request.query.webinar) query = query.where('r.webinar_id', '=', request.query.webinar);
      if (request.query.q) {
        const pattern = `%${request.query.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
        query = query.where((eb) => eb.or([eb('u.username', 'ilike', pattern), eb('u.email', 'ilike', pattern), eb('u.first_name', 'ilike', pattern), eb('u.last_name', 'ilike', pattern)]));
      }
      const [rows, total] = await Promise.all([
        query
          .selectAll('r')
          .select(['u.username', 'u.first_name', 'u.last_name', 'w.zoom_webinar_id', 'w.topic'])
          .orderBy('r.id', 'desc')
          .limit(page.limit)
          .offset(page.offset)
          .execute(),
        query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
      ]);
      const iso = (d: Date | null) => d?.toISOString() ?? null;
      return pageEnvelope(
        request,
        config.publicUrl,
        page,
        Number(total.n),
        rows.map((r) => ({
          id: r.id,
          status: r.status,
          student: { id: r.student_id, username: r.username, email: r.email, name: `${r.first_name} ${r.last_name}`.trim() },
          webinar: { id: r.webinar_id, zoom_webinar_id: r.zoom_webinar_id, topic: r.topic },
          zoom_registrant_id: r.zoom_registrant_id,
          join_url: r.join_url,
          attempts: r.attempts,
          failure_code: r.failure_code,
          last_error: r.last_error,
          next_attempt_at: iso(r.next_attempt_at),
          approved_at: iso(r.approved_at),
          created_at: r.created_at.toISOString(),
          updated_at: r.updated_at.toISOString(),
        })),
      );
    },
  );

  app.post(
    '/registrations/:id/retry/',
    { schema: { tags, summary: 'Retry a failed registration (after fixing its cause)', params: IdParams, response: { 200: Type.Object({ id: Type.Integer(), status: Type.String() }), ...errors(401, 403, 404, 409) } } },
    async (request) => {
      const row = await pipeline.retry(currentUser(request).id, request.params.id);
      return { id: row.id, status: row.status };
    },
  );

  app.post(
    '/receipt-payments/:id/refund/',
    {
      schema: {
        tags: ['admin: payments'],
        summary: 'Refund a verified payment: its enrollments are revoked and their Zoom registrations cancelled',
        params: IdParams,
        body: Reason,
        response: { 200: Type.Object({ payment_id: Type.Integer(), status: Type.String(), enrollments_revoked: Type.Array(Type.Integer()), enrollments_kept: Type.Array(Type.Integer()) }), ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (request) => pipeline.reversal.refund(currentUser(request).id, request.params.id, request.body.reason.trim()),
  );

  app.post(
    '/enrollments/:id/revoke/',
    {
      schema: {
        tags,
        summary: 'Revoke one enrollment: its Zoom registrations are cancelled',
        params: IdParams,
        body: Reason,
        response: { 200: Type.Object({ enrollment_id: Type.Integer(), result: Type.String() }), ...errors(400, 401, 403, 404) },
      },
    },
    async (request) => pipeline.reversal.revoke(currentUser(request).id, request.params.id, request.body.reason.trim()),
  );
};
