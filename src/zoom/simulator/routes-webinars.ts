import type { FastifyInstance } from 'fastify';
import type { ZoomWebinarList } from '../types.js';
import { apiRoute, type SimContext } from './api.js';
import { registrationNotEnabled, userDailyLimit, validationFailed } from './errors.js';
import { nextUtcMidnight } from './rate-limits.js';
import { checkQuestions } from './store.js';
import {
  CreateWebinarBody,
  ListWebinarsQuery,
  QuestionsBody,
  UserParams,
  WebinarParams,
  type CreateWebinarBody as CreateBody,
  type ListWebinarsQuery as ListQuery,
  type QuestionsBody as QBody,
} from './schemas.js';

/** Meeting/webinar create/update requests per host user per UTC day (FACTS §3.2). */
const CREATES_PER_USER_PER_DAY = 100;

/** Webinars and their registration questions under /v2 (FACTS §2.5, §2.7), with the labels of §3.1. */
export function registerWebinarRoutes(api: FastifyInstance, ctx: SimContext): void {
  const { store, presenter } = ctx;

  apiRoute<{ Params: WebinarParams }>(api, ctx, {
    method: 'GET',
    url: '/webinars/:webinarId',
    label: 'light',
    schema: { params: WebinarParams },
    handler: (request) => ({ status: 200, body: presenter.webinar(store.webinar(request.params.webinarId)) }),
  });

  apiRoute<{ Params: UserParams; Querystring: ListQuery }>(api, ctx, {
    method: 'GET',
    url: '/users/:userId/webinars',
    label: 'medium',
    schema: { params: UserParams, querystring: ListWebinarsQuery },
    handler: (request) => {
      const user = store.user(request.params.userId);
      const type = request.query.type ?? 'scheduled';
      // The simulator never expires webinars: 'scheduled' lists them all (past ones included, as
      // Zoom does until they expire); 'upcoming' only those not over yet (FACTS §2.7).
      const webinars = [...store.webinars.values()].filter((w) => w.host.id === user.id && (type === 'scheduled' || !store.isOver(w)));
      const page = ctx.pages.page(webinars, `webinars|${user.id}|${type}`, request.query.page_size, request.query.next_page_token);
      const body: ZoomWebinarList = {
        next_page_token: page.next_page_token,
        page_count: page.page_count,
        page_size: page.page_size,
        total_records: page.total_records,
        webinars: page.items.map((w) => presenter.summary(w)),
      };
      return { status: 200, body };
    },
  });

  apiRoute<{ Params: UserParams; Body: CreateBody }>(api, ctx, {
    method: 'POST',
    url: '/users/:userId/webinars',
    label: 'light',
    schema: { params: UserParams, body: CreateWebinarBody },
    handler: (request) => {
      const user = store.user(request.params.userId);
      const taken = ctx.counters.tryTake([`create|${user.id}`], CREATES_PER_USER_PER_DAY);
      if (!taken.ok) throw userDailyLimit(CREATES_PER_USER_PER_DAY, nextUtcMidnight(store.now()));
      const { settings, ...body } = request.body;
      const webinar = store.createWebinar({
        ...body,
        host_id: user.id,
        host_email: user.email,
        // Zoom's default is "no registration" (FACTS §2.7, §7 #1).
        approval_type: settings?.approval_type ?? 2,
        ...(settings?.registration_type !== undefined ? { registration_type: settings.registration_type } : {}),
        ...(settings?.registrants_restrict_number !== undefined ? { registrants_restrict_number: settings.registrants_restrict_number } : {}),
      });
      return { status: 201, body: presenter.webinar(webinar) };
    },
  });

  apiRoute<{ Params: WebinarParams }>(api, ctx, {
    method: 'GET',
    url: '/webinars/:webinarId/registrants/questions',
    label: 'light',
    schema: { params: WebinarParams },
    handler: (request) => ({ status: 200, body: store.webinar(request.params.webinarId).questions }),
  });

  apiRoute<{ Params: WebinarParams; Body: QBody }>(api, ctx, {
    method: 'PATCH',
    url: '/webinars/:webinarId/registrants/questions',
    label: 'light',
    schema: { params: WebinarParams, body: QuestionsBody },
    handler: (request) => {
      const webinar = store.webinar(request.params.webinarId);
      // "requires registration to be enabled on the webinar" (FACTS §2.5).
      if (webinar.approvalType === 2) throw registrationNotEnabled(String(webinar.id));
      const errors = checkQuestions(request.body);
      if (errors.length > 0) throw validationFailed(errors);
      if (request.body.questions) webinar.questions.questions = request.body.questions;
      if (request.body.custom_questions) webinar.questions.custom_questions = request.body.custom_questions;
      return { status: 204 };
    },
  });
}
