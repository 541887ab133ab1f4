import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Db } from '../db/database.js';
import { DateTime, errors, Nullable } from '../http/schemas.js';
import { createReportsService, REGISTRATION_STATUSES } from './service.js';

const Rate = Nullable(Type.Number({ minimum: 0, maximum: 1, description: 'A fraction 0…1; null when there is nothing to divide by' }));
const Counts = Type.Object(Object.fromEntries([...REGISTRATION_STATUSES, 'total'].map((s) => [s, Type.Integer()])));
const Rates = {
  registered_in_zoom: Type.Integer({ description: 'pending + approved + denied: registrations that reached Zoom' }),
  registration_rate: { ...Rate, description: 'registered_in_zoom ÷ (total − cancelled)' },
  approval_rate: { ...Rate, description: 'approved ÷ registered_in_zoom' },
};

const Summary = Type.Object({
  generated_at: DateTime,
  totals: Type.Object({ classes: Type.Integer(), enrolled: Type.Integer(), registrations: Counts, ...Rates }),
  classes: Type.Array(
    Type.Object({
      class_id: Type.Integer(),
      title: Type.String(),
      is_active: Type.Boolean(),
      capacity: Nullable(Type.Integer()),
      enrolled: Type.Integer({ description: 'active enrollments' }),
      webinars: Type.Integer(),
      registrations: Counts,
      ...Rates,
    }),
  ),
  verify_to_approved: Type.Object({
    count: Type.Integer(),
    p50_seconds: Nullable(Type.Number()),
    p90_seconds: Nullable(Type.Number()),
    p99_seconds: Nullable(Type.Number()),
    max_seconds: Nullable(Type.Number()),
    buckets: Type.Array(Type.Object({ label: Type.String(), min_seconds: Type.Number(), max_seconds: Nullable(Type.Number()), count: Type.Integer() })),
  }),
  failures: Type.Array(Type.Object({ failure_code: Type.String(), count: Type.Integer(), latest_at: DateTime, example: Nullable(Type.String()) })),
});

export const adminReportRoutes: FastifyPluginAsyncTypebox<{ db: Db }> = async (app, { db }) => {
  const reports = createReportsService({ db });

  app.get(
    '/reports/summary/',
    {
      schema: {
        tags: ['admin: reports'],
        summary: 'Registration and approval rates per class, the verify-to-approved time distribution, failures by reason',
        description:
          'Per class: active enrollments, registrations by status, `registration_rate` (reached Zoom ÷ all but cancelled) and `approval_rate` (approved ÷ reached Zoom). `verify_to_approved`: every approved registration, seconds from its payment\'s verify to the approval, in buckets with p50/p90/p99. `failures`: registrations failed now, grouped by `failure_code`. The web app builds the CSV exports from this answer.',
        response: { 200: Summary, ...errors(401, 403) },
      },
    },
    () => reports.summary(),
  );
};
