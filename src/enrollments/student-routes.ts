import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { currentUser } from '../http/auth-guard.js';
import { DateTime, errors, MoneyOut, Nullable, NullableDateTime } from '../http/schemas.js';
import type { EnrollmentsService } from './service.js';

const Registration = Type.Object({
  status: Type.String({ description: 'queued | pending | approved | denied | cancelled | failed' }),
  join_url: Nullable(Type.String()),
  approved_at: NullableDateTime,
  updated_at: DateTime,
});

export const EnrollmentSchema = Type.Object(
  {
    id: Type.Integer(),
    status: Type.Union([Type.Literal('active'), Type.Literal('revoked')]),
    payment_id: Type.Integer(),
    created_at: DateTime,
    revoked_at: NullableDateTime,
    class: Type.Object({ id: Type.Integer(), title: Type.String(), description: Type.String(), price: MoneyOut, currency: Type.String() }),
    webinars: Type.Array(
      Type.Object({
        id: Type.Integer(),
        topic: Type.String(),
        start_time: NullableDateTime,
        duration: Nullable(Type.Integer()),
        timezone: Nullable(Type.String()),
        registration: Nullable(Registration),
      }),
    ),
  },
  { $id: 'Enrollment' },
);

export const studentEnrollmentRoutes: FastifyPluginAsyncTypebox<{ enrollments: EnrollmentsService }> = async (app, { enrollments }) => {
  app.get(
    '/enrollments/',
    {
      schema: {
        tags: ['student: enrollments'],
        summary: 'My enrollments with their webinars and my registration for each',
        response: { 200: Type.Array(Type.Ref('Enrollment')), ...errors(401, 403) },
      },
    },
    async (request) => enrollments.forStudent(currentUser(request).id),
  );
};
