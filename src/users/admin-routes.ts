import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Config } from '../config.js';
import type { Db } from '../db/database.js';
import { pageEnvelope, pageParams } from '../http/paging.js';
import { errors, Page, PageQuery } from '../http/schemas.js';
import { presentUser } from './presenter.js';
import { searchUsers } from './repository.js';

export const adminStudentRoutes: FastifyPluginAsyncTypebox<{ config: Config; db: Db }> = async (app, { config, db }) => {
  app.get(
    '/students/',
    {
      schema: {
        tags: ['admin: students'],
        summary: 'Students, searchable by username, email or name',
        querystring: Type.Object({ ...PageQuery, q: Type.Optional(Type.String({ maxLength: 200 })) }),
        response: { 200: Page(Type.Ref('User')), ...errors(400, 401, 403) },
      },
    },
    async (request) => {
      const page = pageParams(request.query);
      const { rows, count } = await searchUsers(db, { role: 'student', q: request.query.q?.trim(), limit: page.limit, offset: page.offset });
      return pageEnvelope(request, config.publicUrl, page, count, rows.map(presentUser));
    },
  );
};
