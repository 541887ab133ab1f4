import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { RateLabel, ZoomRegistrantInput } from '../types.js';
import type { SimContext } from './api.js';
import { QuestionsBody, type QuestionsBody as QuestionsBodyType } from './schemas.js';
import type { FaultSpec, SimWebinarInput, ZoomSimulator } from './types.js';

const IdParams = Type.Object({ id: Type.String() });
type IdParams = Static<typeof IdParams>;
const StatusParams = Type.Object({ id: Type.String(), rid: Type.String() });
type StatusParams = Static<typeof StatusParams>;
const ActionBody = Type.Object({ action: Type.Union([Type.Literal('approve'), Type.Literal('deny'), Type.Literal('cancel')]) });
type ActionBody = Static<typeof ActionBody>;
const WebhookBody = Type.Object({ url: Type.String({ minLength: 1 }), secretToken: Type.String({ minLength: 1 }) });
type WebhookBody = Static<typeof WebhookBody>;
const AnyObject = Type.Object({});

/**
 * The control plane over HTTP, for a simulator running as its own process (`/_sim/…`). No auth:
 * the standalone simulator binds to 127.0.0.1. Each route is the programmatic method of the same
 * name; errors use Zoom's shape. Nothing here counts toward API limits or the request log.
 */
export function registerControlRoutes(app: FastifyInstance, sim: ZoomSimulator, ctx: SimContext): void {
  app.post<{ Body: SimWebinarInput }>('/_sim/webinars', { schema: { body: AnyObject } }, async (request, reply) =>
    reply.code(201).send(sim.createWebinar(request.body)),
  );

  app.get('/_sim/webinars', async () => ({ webinars: [...ctx.store.webinars.values()].map((w) => ctx.presenter.webinar(w)) }));

  app.get<{ Params: IdParams }>('/_sim/webinars/:id/registrants', { schema: { params: IdParams } }, async (request) => ({
    registrants: sim.registrants(request.params.id),
  }));

  app.post<{ Params: IdParams; Body: ZoomRegistrantInput }>('/_sim/webinars/:id/registrants', { schema: { params: IdParams, body: AnyObject } }, async (request, reply) =>
    reply.code(201).send(sim.addRegistrantDirectly(request.params.id, request.body)),
  );

  app.post<{ Params: StatusParams; Body: ActionBody }>(
    '/_sim/webinars/:id/registrants/:rid/status',
    { schema: { params: StatusParams, body: ActionBody } },
    async (request, reply) => {
      sim.setRegistrantStatus(request.params.id, request.params.rid, request.body.action);
      return reply.code(204).send();
    },
  );

  app.put<{ Params: IdParams; Body: QuestionsBodyType }>(
    '/_sim/webinars/:id/questions',
    { schema: { params: IdParams, body: QuestionsBody } },
    async (request, reply) => {
      sim.setQuestions(request.params.id, { questions: request.body.questions ?? [], custom_questions: request.body.custom_questions ?? [] });
      return reply.code(204).send();
    },
  );

  app.post<{ Body: FaultSpec }>('/_sim/faults', { schema: { body: AnyObject } }, async (request, reply) =>
    reply.code(201).send({ id: sim.injectFault(request.body) }),
  );

  app.delete('/_sim/faults', async (_request, reply) => {
    sim.clearFaults();
    return reply.code(204).send();
  });

  app.get('/_sim/log', async () => ({ requests: sim.requestLog() }));

  app.get('/_sim/stats', async () => {
    const requests: Record<RateLabel | 'total', number> = { light: 0, medium: 0, heavy: 0, total: 0 };
    for (const entry of sim.requestLog()) {
      requests[entry.label]++;
      requests.total++;
    }
    return { tokenRequests: sim.tokenRequests(), requests, webhookDeliveries: sim.webhookDeliveries() };
  });

  app.post<{ Body: WebhookBody }>('/_sim/webhook', { schema: { body: WebhookBody } }, async (request, reply) => {
    sim.setWebhookTarget(request.body.url, request.body.secretToken);
    return reply.code(204).send();
  });

  app.post('/_sim/reset', async (_request, reply) => {
    sim.reset();
    return reply.code(204).send();
  });
}

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

const page = (title: string, text: string) =>
  `<!doctype html><html><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head><body><h1>${escapeHtml(text)}</h1></body></html>`;

/**
 * Where a join URL lands (`/w/{webinarId}?tk=…`), so the demo's Join button opens something real:
 * an approved registrant's token joins; anything else (pending, denied, unknown) is refused.
 */
export function registerJoinPage(app: FastifyInstance, ctx: SimContext): void {
  app.get<{ Params: { webinarId: string }; Querystring: { tk?: string } }>('/w/:webinarId', async (request, reply) => {
    const webinar = /^\d+$/.test(request.params.webinarId) ? ctx.store.webinars.get(Number(request.params.webinarId)) : undefined;
    const token = request.query.tk;
    const registrant = webinar && token ? [...webinar.registrants.values()].find((r) => r.token === token) : undefined;
    reply.type('text/html; charset=utf-8');
    if (!webinar || !registrant || registrant.status !== 'approved') {
      return reply.code(403).send(page('Cannot join', 'This link does not let you join: registration missing, pending or denied.'));
    }
    const name = [registrant.first_name, registrant.fields.last_name].filter(Boolean).join(' ');
    return reply.code(200).send(page(webinar.topic, `Joined ${webinar.topic} as ${name}`));
  });
}
