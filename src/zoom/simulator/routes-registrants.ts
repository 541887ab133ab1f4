import type { FastifyInstance } from 'fastify';
import type { ZoomBatchResult, ZoomRegistrantInput, ZoomRegistrantList } from '../types.js';
import { apiRoute, type SimContext } from './api.js';
import { registrantNotFound } from './errors.js';
import {
  AddRegistrantBody,
  AddRegistrantQuery,
  BatchBody,
  ListRegistrantsQuery,
  RegistrantParams,
  StatusBody,
  WebinarParams,
  type AddRegistrantQuery as AddQuery,
  type BatchBody as Batch,
  type ListRegistrantsQuery as ListQuery,
  type StatusBody as Status,
} from './schemas.js';
import { DEFAULT_HOST } from './store.js';

/** Registrant operations under /v2 (FACTS §2.1–2.4, §2.6) with the labels of §3.1. */
export function registerRegistrantRoutes(api: FastifyInstance, ctx: SimContext): void {
  const { store, presenter, registrations } = ctx;

  apiRoute<{ Params: WebinarParams; Querystring: AddQuery; Body: Partial<ZoomRegistrantInput> }>(api, ctx, {
    method: 'POST',
    url: '/webinars/:webinarId/registrants',
    label: 'light',
    schema: { params: WebinarParams, querystring: AddRegistrantQuery, body: AddRegistrantBody },
    handler: (request) => {
      const { webinar, registrant } = registrations.add(request.params.webinarId, request.body, request.query.occurrence_ids, { viaApi: true });
      return { status: 201, body: presenter.created(webinar, registrant) };
    },
  });

  apiRoute<{ Params: WebinarParams; Body: Batch }>(api, ctx, {
    method: 'POST',
    url: '/webinars/:webinarId/batch_registrants',
    label: 'heavy',
    schema: { params: WebinarParams, body: BatchBody },
    handler: (request) => {
      const { registrants } = registrations.batch(request.params.webinarId, request.body);
      const body: ZoomBatchResult = { registrants: registrants.map((r) => ({ email: r.email, join_url: presenter.joinUrl(r), registrant_id: r.id })) };
      // The spec keys success as 201 (and describes it as 200, FACTS §1.3); 201 here.
      return { status: 201, body };
    },
  });

  apiRoute<{ Params: WebinarParams; Querystring: ListQuery }>(api, ctx, {
    method: 'GET',
    url: '/webinars/:webinarId/registrants',
    label: 'medium',
    schema: { params: WebinarParams, querystring: ListRegistrantsQuery },
    handler: (request) => {
      const webinar = store.webinar(request.params.webinarId);
      const { occurrence_id: occurrence, page_size, next_page_token } = request.query;
      // status defaults to approved: pending registrants are invisible unless asked for (FACTS §2.3).
      const status = request.query.status ?? 'approved';
      const matching = [...webinar.registrants.values()].filter((r) => r.status === status && (occurrence === undefined || r.occurrenceIds.includes(occurrence)));
      const page = ctx.pages.page(matching, `registrants|${webinar.id}|${status}|${occurrence ?? ''}`, page_size, next_page_token);
      const body: ZoomRegistrantList & { page_number: number } = {
        next_page_token: page.next_page_token,
        page_count: page.page_count,
        page_number: 1, // deprecated field, still present in Zoom's answers (FACTS §2.3)
        page_size: page.page_size,
        total_records: page.total_records,
        registrants: page.items.map((r) => presenter.registrant(r)),
      };
      return { status: 200, body };
    },
  });

  apiRoute<{ Params: RegistrantParams }>(api, ctx, {
    method: 'GET',
    url: '/webinars/:webinarId/registrants/:registrantId',
    label: 'light',
    schema: { params: RegistrantParams },
    handler: (request) => {
      const webinar = store.webinar(request.params.webinarId);
      const registrant = webinar.registrants.get(request.params.registrantId);
      if (!registrant) throw registrantNotFound(request.params.registrantId);
      return { status: 200, body: presenter.registrant(registrant) };
    },
  });

  apiRoute<{ Params: RegistrantParams }>(api, ctx, {
    method: 'DELETE',
    url: '/webinars/:webinarId/registrants/:registrantId',
    label: 'light',
    schema: { params: RegistrantParams },
    handler: (request) => {
      registrations.delete(request.params.webinarId, request.params.registrantId);
      return { status: 204 };
    },
  });

  apiRoute<{ Params: WebinarParams; Body: Status }>(api, ctx, {
    method: 'PUT',
    url: '/webinars/:webinarId/registrants/status',
    label: 'medium',
    schema: { params: WebinarParams, body: StatusBody },
    handler: (request) => {
      registrations.updateStatus(request.params.webinarId, request.body.action, request.body.registrants ?? [], { viaApi: true, operator: DEFAULT_HOST });
      return { status: 204 };
    },
  });
}
