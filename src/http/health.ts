import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Database } from '../db/database.js';
import { AppError } from './errors.js';
import { errors } from './schemas.js';

export const healthRoutes: FastifyPluginAsyncTypebox<{ database: Database }> = async (app, { database }) => {
  const Ok = Type.Object({ status: Type.Literal('ok'), database: Type.Optional(Type.String()) });

  app.get('/healthz', { schema: { tags: ['ops'], summary: 'The process is up', response: { 200: Ok } } }, async () => ({ status: 'ok' as const }));

  app.get(
    '/readyz',
    { schema: { tags: ['ops'], summary: 'The database answers', response: { 200: Ok, ...errors(503) } } },
    async (request) => {
      try {
        await database.ping();
      } catch (err) {
        request.log.warn({ err }, 'readiness check failed');
        throw new AppError('service_unavailable', 'The database is not reachable');
      }
      return { status: 'ok' as const, database: database.kind };
    },
  );
};
