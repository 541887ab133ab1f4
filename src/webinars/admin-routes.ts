import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { currentUser } from '../http/auth-guard.js';
import { errors, IdParams } from '../http/schemas.js';
import { ANSWER_SOURCES, type AnswerMapping } from '../zoom/questions.js';
import { presentWebinar } from './presenter.js';
import type { WebinarsService } from './service.js';

const ZoomWebinarId = Type.String({ pattern: '^[0-9]{9,20}$', description: "Zoom's webinar id (digits)" });

const LinkBody = Type.Union([
  Type.Object({ zoom_webinar_id: ZoomWebinarId }),
  Type.Object({
    create: Type.Object({
      topic: Type.String({ minLength: 1, maxLength: 200 }),
      start_time: Type.String({ format: 'date-time' }),
      duration: Type.Integer({ minimum: 1, maximum: 24 * 60 }),
      timezone: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
      agenda: Type.Optional(Type.String({ maxLength: 2000 })),
    }),
  }),
]);

// No additionalProperties:false inside the union: ajv's removeAdditional would strip the other
// branch's key while trying the first one.
const AnswerRule = Type.Union([
  Type.Object({ fixed: Type.String({ maxLength: 255 }) }),
  Type.Object({ from: Type.Union(ANSWER_SOURCES.map((s) => Type.Literal(s))) }),
]);
const MappingBody = Type.Object({ answers: Type.Record(Type.String({ minLength: 1, maxLength: 300 }), AnswerRule) });

const MappingView = Type.Object({
  webinar_id: Type.Integer(),
  questions: Type.Array(Type.Object({ key: Type.String(), kind: Type.String(), required: Type.Boolean(), choices: Type.Union([Type.Array(Type.String()), Type.Null()]) })),
  answers: Type.Record(Type.String(), Type.Object({ fixed: Type.Optional(Type.String()), from: Type.Optional(Type.String()) })),
  defaults: Type.Record(Type.String(), Type.Object({ fixed: Type.Optional(Type.String()), from: Type.Optional(Type.String()) })),
  unanswered: Type.Array(Type.String()),
});

function presentMapping(view: Awaited<ReturnType<WebinarsService['getMapping']>>) {
  return {
    webinar_id: view.row.id,
    questions: view.questions.map((q) => ({ key: q.key, kind: q.kind, required: q.required, choices: q.choices ? [...q.choices] : null })),
    answers: view.answers,
    defaults: view.defaults,
    unanswered: view.unanswered.map((q) => q.key),
  };
}

export const adminWebinarRoutes: FastifyPluginAsyncTypebox<{ webinars: WebinarsService }> = async (app, { webinars }) => {
  const tags = ['admin: webinars'];

  app.post(
    '/classes/:id/webinars/',
    {
      schema: {
        tags,
        summary: 'Link a Zoom webinar to a class (fetched from Zoom), or create one in Zoom and link it',
        description:
          '`{zoom_webinar_id}` fetches the webinar and its registration questions from Zoom; `{create: {topic, start_time, duration}}` creates it in Zoom with manual approval first. A webinar without registration, over, or unknown to Zoom is refused with Zoom\'s reason. Required questions that cannot be answered are listed in `problems`.',
        params: IdParams,
        body: LinkBody,
        response: { 201: Type.Ref('Webinar'), ...errors(400, 401, 403, 404, 409, 429, 502, 503) },
      },
    },
    async (request, reply) => {
      const actor = currentUser(request).id;
      const body = request.body;
      const row = 'create' in body ? await webinars.createAndLink(actor, request.params.id, body.create) : await webinars.link(actor, request.params.id, body.zoom_webinar_id);
      return reply.status(201).send(presentWebinar(row));
    },
  );

  app.get(
    '/classes/:id/webinars/',
    { schema: { tags, summary: "A class's webinars", params: IdParams, response: { 200: Type.Array(Type.Ref('Webinar')), ...errors(401, 403) } } },
    async (request) => (await webinars.listForClass(request.params.id)).map(presentWebinar),
  );

  app.get(
    '/webinars/:id/',
    { schema: { tags, summary: 'One webinar with its questions and readiness', params: IdParams, response: { 200: Type.Ref('Webinar'), ...errors(401, 403, 404) } } },
    async (request) => presentWebinar(await webinars.get(request.params.id)),
  );

  app.post(
    '/webinars/:id/sync/',
    {
      schema: { tags, summary: 'Refresh a webinar and its questions from Zoom', params: IdParams, response: { 200: Type.Ref('Webinar'), ...errors(400, 401, 403, 404, 429, 502, 503) } },
    },
    async (request) => presentWebinar(await webinars.sync(currentUser(request).id, request.params.id)),
  );

  app.get(
    '/webinars/:id/question-mapping/',
    {
      schema: { tags, summary: 'How each registration question is answered, and which required ones are not', params: IdParams, response: { 200: MappingView, ...errors(401, 403, 404) } },
    },
    async (request) => presentMapping(await webinars.getMapping(request.params.id)),
  );

  app.put(
    '/webinars/:id/question-mapping/',
    {
      schema: {
        tags,
        summary: 'Set the answers: {answers: {"<question title or field_name>": {"fixed": "text"} | {"from": "username|email|…"}}}',
        description: 'Replaces the admin answers (the defaults — Serial number = username, Secret number = payment id, last_name = last name — apply unless overridden). A fixed value outside a choice question\'s answers is a 400.',
        params: IdParams,
        body: MappingBody,
        response: { 200: MappingView, ...errors(400, 401, 403, 404) },
      },
    },
    async (request) => presentMapping(await webinars.putMapping(currentUser(request).id, request.params.id, request.body.answers as AnswerMapping)),
  );
};
