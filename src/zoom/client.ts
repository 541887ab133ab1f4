import { setTimeout as sleep } from 'node:timers/promises';
import type { TSchema } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import type { Logger } from 'pino';
import { backoffMs, classifyResponse, ZoomApiError } from './errors.js';
import { createTokenProvider, type TokenProvider } from './oauth.js';
import type { RateLimiter } from './rate-limiter.js';
import * as S from './response-schemas.js';
import {
  MAX_PAGE_SIZE,
  MAX_REGISTRANTS_PER_CALL,
  type RateLabel,
  type ZoomBatchInput,
  type ZoomBatchResult,
  type ZoomCreateWebinar,
  type ZoomErrorBody,
  type ZoomRegistrant,
  type ZoomRegistrantCreated,
  type ZoomRegistrantInput,
  type ZoomRegistrantStatus,
  type ZoomRegistrationQuestions,
  type ZoomStatusAction,
  type ZoomWebinar,
  type ZoomWebinarSummary,
} from './types.js';

export interface ZoomClientOptions {
  apiBaseUrl: string;
  tokenUrl: string;
  accountId: string;
  clientId: string;
  clientSecret: string;
  timeoutMs: number;
  limiter: RateLimiter;
  logger: Logger;
  /** How often a safe call (a read, or a per-second 429 that Zoom did not act on) is retried inline. */
  maxInlineRetries?: number;
  now?: () => Date;
}

interface Call {
  operation: string;
  label: RateLabel;
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  query?: Record<string, string | number | undefined>;
  body?: unknown;
  schema?: TSchema;
}

/**
 * The one module that talks to Zoom. Every call is rate-limited by label, carries a timeout, and
 * either returns a validated body or throws a ZoomApiError with a retry verdict. It retries only
 * what is safe to repeat: reads, a per-second 429 (Zoom did nothing), and a stale token (401/124).
 * A write whose outcome is unknown is never repeated here — the caller looks first.
 */
export function createZoomClient(options: ZoomClientOptions) {
  const now = options.now ?? (() => new Date());
  const tokens: TokenProvider = createTokenProvider({ ...options, now: () => now().getTime() });
  const maxRetries = options.maxInlineRetries ?? 2;

  async function attempt(call: Call, attemptNo: number, refreshedToken: boolean): Promise<unknown> {
    const url = new URL(`${options.apiBaseUrl}${call.path}`);
    for (const [k, v] of Object.entries(call.query ?? {})) if (v !== undefined) url.searchParams.set(k, String(v));
    const token = await tokens.get();
    let res: Response;
    try {
      res = await options.limiter.schedule(call.label, () =>
        fetch(url, {
          method: call.method,
          headers: { authorization: `Bearer ${token}`, ...(call.body !== undefined ? { 'content-type': 'application/json' } : {}) },
          body: call.body !== undefined ? JSON.stringify(call.body) : undefined,
          signal: AbortSignal.timeout(options.timeoutMs),
        }),
      );
    } catch (error) {
      const message = (error as Error).name === 'TimeoutError' ? `no answer within ${options.timeoutMs} ms` : (error as Error).message;
      throw new ZoomApiError(call.operation, 0, undefined, message, { kind: 'soon', afterMs: backoffMs(attemptNo) }, call.method !== 'GET');
    }
    if (res.status === 204) return undefined;
    const body = (await res.json().catch(() => undefined)) as Partial<ZoomErrorBody> | undefined;
    if (res.ok) {
      if (call.schema && !Value.Check(call.schema, body)) {
        const first = [...Value.Errors(call.schema, body)][0];
        throw new ZoomApiError(call.operation, res.status, undefined, `unexpected response shape at ${first?.path ?? '/'}: ${first?.message ?? ''}`, { kind: 'never' }, false);
      }
      return body;
    }
    if (res.status === 401 && body?.code === 124 && !refreshedToken) {
      // A token Zoom no longer accepts: fetch a fresh one and try once more (FACTS §4).
      tokens.invalidate(token);
      return attempt(call, attemptNo, true);
    }
    const retry = classifyResponse(res.status, body ?? {}, res.headers, now(), attemptNo);
    const outcomeUnknown = res.status >= 500 && call.method !== 'GET';
    throw new ZoomApiError(call.operation, res.status, body?.code, body?.message ?? res.statusText, retry, outcomeUnknown, body?.errors ?? []);
  }

  async function request<T>(call: Call): Promise<T> {
    for (let attemptNo = 0; ; attemptNo++) {
      try {
        return (await attempt(call, attemptNo, false)) as T;
      } catch (error) {
        if (!(error instanceof ZoomApiError)) throw error;
        const safe = !error.outcomeUnknown && (call.method === 'GET' || error.status === 429);
        if (!safe || error.retry.kind !== 'soon' || attemptNo >= maxRetries) {
          options.logger.warn({ operation: call.operation, status: error.status, zoomCode: error.zoomCode, retry: error.retry.kind }, error.zoomMessage);
          throw error;
        }
        options.logger.debug({ operation: call.operation, status: error.status, waitMs: error.retry.afterMs }, 'retrying Zoom call');
        await sleep(error.retry.afterMs);
      }
    }
  }

  const webinarPath = (webinarId: string) => `/webinars/${encodeURIComponent(webinarId)}`;

  /** Walks every page (FACTS §2.3: an empty next_page_token ends the list; tokens live 15 minutes). */
  async function* pages<T>(call: Call, key: string): AsyncGenerator<T[]> {
    let nextPageToken: string | undefined;
    do {
      const page = await request<Record<string, unknown> & { next_page_token?: string }>({ ...call, query: { ...call.query, page_size: MAX_PAGE_SIZE, next_page_token: nextPageToken } });
      yield (page[key] as T[]) ?? [];
      nextPageToken = page.next_page_token || undefined;
    } while (nextPageToken);
  }

  async function collect<T>(iterable: AsyncIterable<T[]>): Promise<T[]> {
    const all: T[] = [];
    for await (const page of iterable) all.push(...page);
    return all;
  }

  return {
    tokenFetches: () => tokens.fetches(),

    getWebinar: (webinarId: string) =>
      request<ZoomWebinar>({ operation: 'get webinar', label: 'light', method: 'GET', path: webinarPath(webinarId), schema: S.Webinar }),

    listUserWebinars: (userId = 'me', type: 'scheduled' | 'upcoming' = 'upcoming') =>
      collect(pages<ZoomWebinarSummary>({ operation: 'list webinars', label: 'medium', method: 'GET', path: `/users/${encodeURIComponent(userId)}/webinars`, query: { type }, schema: S.WebinarList }, 'webinars')),

    createWebinar: (userId: string, input: ZoomCreateWebinar) =>
      request<ZoomWebinar>({ operation: 'create webinar', label: 'light', method: 'POST', path: `/users/${encodeURIComponent(userId)}/webinars`, body: input, schema: S.Webinar }),

    getQuestions: (webinarId: string) =>
      request<ZoomRegistrationQuestions>({ operation: 'list registration questions', label: 'light', method: 'GET', path: `${webinarPath(webinarId)}/registrants/questions`, schema: S.Questions }),

    addRegistrant: (webinarId: string, input: ZoomRegistrantInput, occurrenceIds?: string[]) =>
      request<ZoomRegistrantCreated>({
        operation: 'add registrant',
        label: 'light',
        method: 'POST',
        path: `${webinarPath(webinarId)}/registrants`,
        query: { occurrence_ids: occurrenceIds?.length ? occurrenceIds.join(',') : undefined },
        body: input,
        schema: S.RegistrantCreated,
      }),

    batchRegistrants(webinarId: string, input: ZoomBatchInput) {
      if (input.registrants.length > MAX_REGISTRANTS_PER_CALL) throw new RangeError(`batch registration takes at most ${MAX_REGISTRANTS_PER_CALL} registrants`);
      return request<ZoomBatchResult>({ operation: 'batch registrants', label: 'heavy', method: 'POST', path: `${webinarPath(webinarId)}/batch_registrants`, body: input, schema: S.BatchResult });
    },

    /** Every registrant with `status` (Zoom's default is approved only, FACTS §2.3), all pages. */
    listRegistrants: (webinarId: string, status: ZoomRegistrantStatus, occurrenceId?: string) =>
      collect(pages<ZoomRegistrant>({ operation: 'list registrants', label: 'medium', method: 'GET', path: `${webinarPath(webinarId)}/registrants`, query: { status, occurrence_id: occurrenceId }, schema: S.RegistrantList }, 'registrants')),

    getRegistrant: (webinarId: string, registrantId: string) =>
      request<ZoomRegistrant>({ operation: 'get registrant', label: 'light', method: 'GET', path: `${webinarPath(webinarId)}/registrants/${encodeURIComponent(registrantId)}`, schema: S.Registrant }),

    deleteRegistrant: (webinarId: string, registrantId: string) =>
      request<void>({ operation: 'delete registrant', label: 'light', method: 'DELETE', path: `${webinarPath(webinarId)}/registrants/${encodeURIComponent(registrantId)}` }),

    /**
     * Approves, denies or cancels registrants, 30 per call (FACTS §2.4). Returns the chunks that
     * succeeded and the errors of those that did not, so a caller can act on each.
     */
    async updateRegistrantStatus(webinarId: string, action: ZoomStatusAction, registrantIds: string[], occurrenceId?: string) {
      const done: string[][] = [];
      const failed: Array<{ ids: string[]; error: ZoomApiError }> = [];
      for (let i = 0; i < registrantIds.length; i += MAX_REGISTRANTS_PER_CALL) {
        const ids = registrantIds.slice(i, i + MAX_REGISTRANTS_PER_CALL);
        try {
          await request<void>({
            operation: `registrant status ${action}`,
            label: 'medium',
            method: 'PUT',
            path: `${webinarPath(webinarId)}/registrants/status`,
            query: { occurrence_id: occurrenceId },
            body: { action, registrants: ids.map((id) => ({ id })) },
          });
          done.push(ids);
        } catch (error) {
          if (!(error instanceof ZoomApiError)) throw error;
          failed.push({ ids, error });
        }
      }
      return { done, failed };
    },
  };
}

export type ZoomClient = ReturnType<typeof createZoomClient>;
