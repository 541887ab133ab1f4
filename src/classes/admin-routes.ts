import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Config } from '../config.js';
import { currentUser } from '../http/auth-guard.js';
import { pageEnvelope, pageParams } from '../http/paging.js';
import { Currency, errors, IdParams, MoneyIn, Page, PageQuery } from '../http/schemas.js';
import { presentClass } from './presenter.js';
import type { ClassesService } from './service.js';

const ClassFields = {
  title: Type.String({ minLength: 1, maxLength: 200, pattern: '\\S' }),
  description: Type.String({ maxLength: 10_000 }),
  price: MoneyIn,
  currency: Currency,
  capacity: Type.Union([Type.Integer({ minimum: 1, maximum: 1_000_000 }), Type.Null()]),
  is_active: Type.Boolean(),
};

const CreateClassBody = Type.Object(
  {
    title: ClassFields.title,
    description: Type.Optional(ClassFields.description),
    price: ClassFields.price,
    currency: ClassFields.currency,
    capacity: Type.Optional(ClassFields.capacity),
    is_active: Type.Optional(ClassFields.is_active),
  },
  { additionalProperties: false },
);
const PatchClassBody = Type.Partial(Type.Object(ClassFields), { additionalProperties: false, minProperties: 1 });

export const adminClassRoutes: FastifyPluginAsyncTypebox<{ config: Config; classes: ClassesService }> = async (app, { config, classes }) => {
  const tags = ['admin: classes'];

  app.post(
    '/classes/',
    { schema: { tags, summary: 'Create a class', body: CreateClassBody, response: { 201: Type.Ref('Class'), ...errors(400, 401, 403) } } },
    async (request, reply) => reply.status(201).send(presentClass(await classes.createClass(currentUser(request).id, request.body))),
  );

  app.get(
    '/classes/',
    {
      schema: {
        tags,
        summary: 'All classes, active or not',
        querystring: Type.Object({ ...PageQuery, active: Type.Optional(Type.Boolean()) }),
        response: { 200: Page(Type.Ref('Class')), ...errors(400, 401, 403) },
      },
    },
    async (request) => {
      const page = pageParams(request.query);
      const { classes: rows, count } = await classes.list({ activeOnly: request.query.active === true, limit: page.limit, offset: page.offset });
      return pageEnvelope(request, config.publicUrl, page, count, rows.map(presentClass));
    },
  );

  app.get(
    '/classes/:id/',
    { schema: { tags, summary: 'One class with its webinars', params: IdParams, response: { 200: Type.Ref('Class'), ...errors(401, 403, 404) } } },
    async (request) => presentClass(await classes.getClass(request.params.id)),
  );

  app.patch(
    '/classes/:id/',
    { schema: { tags, summary: 'Change some fields of a class', params: IdParams, body: PatchClassBody, response: { 200: Type.Ref('Class'), ...errors(400, 401, 403, 404) } } },
    async (request) => presentClass(await classes.updateClass(currentUser(request).id, request.params.id, request.body)),
  );

  app.put(
    '/classes/:id/',
    { schema: { tags, summary: 'Replace the editable fields of a class', params: IdParams, body: CreateClassBody, response: { 200: Type.Ref('Class'), ...errors(400, 401, 403, 404) } } },
    async (request) => presentClass(await classes.updateClass(currentUser(request).id, request.params.id, request.body)),
  );

};
