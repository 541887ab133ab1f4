import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Config } from '../config.js';
import { currentUser } from '../http/auth-guard.js';
import { pageEnvelope, pageParams } from '../http/paging.js';
import { errors, IdParams, Page, PageQuery } from '../http/schemas.js';
import { presentCatalogClass } from './presenter.js';
import type { ClassesService } from './service.js';

export const studentClassRoutes: FastifyPluginAsyncTypebox<{ config: Config; classes: ClassesService }> = async (app, { config, classes }) => {
  const tags = ['student: classes'];

  app.get(
    '/classes/',
    {
      schema: {
        tags,
        summary: 'The class catalog: active classes with their webinars',
        querystring: Type.Object(PageQuery),
        response: { 200: Page(Type.Ref('CatalogClass')), ...errors(400, 401, 403) },
      },
    },
    async (request) => {
      const page = pageParams(request.query);
      const { items, count } = await classes.catalog(currentUser(request).id, page);
      return pageEnvelope(request, config.publicUrl, page, count, items.map(({ c, enrolled }) => presentCatalogClass(c, enrolled)));
    },
  );

  app.get(
    '/classes/:id/',
    { schema: { tags, summary: 'One class of the catalog', params: IdParams, response: { 200: Type.Ref('CatalogClass'), ...errors(401, 403, 404) } } },
    async (request) => {
      const { c, enrolled } = await classes.catalogClass(currentUser(request).id, request.params.id);
      return presentCatalogClass(c, enrolled);
    },
  );
};
