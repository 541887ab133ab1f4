import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import Ajv, { type Options } from 'ajv';
import addFormats from 'ajv-formats';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest, FastifySchema, HTTPMethods, RouteGenericInterface } from 'fastify';
import type { RateLabel } from '../types.js';
import { invalidJsonBody, invalidToken, perSecondLimit, validationFailed, SimulatedZoomError } from './errors.js';
import type { FaultRegistry, FaultTarget } from './faults.js';
import type { PageTokens } from './pagination.js';
import type { Presenter } from './presenter.js';
import type { DailyCounters, LabelLimiter } from './rate-limits.js';
import type { Registrations } from './registrations.js';
import type { SimStore } from './store.js';
import type { TokenStore } from './oauth.js';
import type { FaultSpec, RequestLogEntry } from './types.js';

/** Everything a route needs; built once per simulator in index.ts. */
export interface SimContext {
  store: SimStore;
  registrations: Registrations;
  presenter: Presenter;
  tokens: TokenStore;
  limiter: LabelLimiter;
  counters: DailyCounters;
  pages: PageTokens;
  faults: FaultRegistry;
  log: RequestLogEntry[];
  latencyMs: number;
}

export interface ApiResult {
  status: number;
  body?: unknown;
}

/** Zoom's 5xx bodies are not documented; these say plainly that the failure was injected. */
const FAULT_BODIES = {
  http_500: { code: 500, message: 'Internal server error (simulated fault).' },
  http_503: { code: 503, message: 'Service temporarily unavailable (simulated fault).' },
} as const;

/** A long-running standalone simulator keeps only the most recent requests in its log. */
const MAX_LOG_ENTRIES = 100_000;

/** Log entry of each in-flight /v2 request, keyed by the raw request (no global type augmentation). */
const calls = new WeakMap<object, { entry: RequestLogEntry; target: FaultTarget; reset: boolean }>();

const category = (label: RateLabel) => label.charAt(0).toUpperCase() + label.slice(1);

export function sendError(reply: FastifyReply, error: SimulatedZoomError): FastifyReply {
  return reply.code(error.status).headers(error.headers).send(error.body());
}

/**
 * Registers one /v2 route. Order per request (FACTS §3.1, §2.10): log → latency → bearer token
 * (401 124) → label limit (429 QPS) → schema → 'before' fault → handler → 'after' fault → answer.
 */
export function apiRoute<G extends RouteGenericInterface>(
  api: FastifyInstance,
  ctx: SimContext,
  def: { method: HTTPMethods; url: string; label: RateLabel; schema?: FastifySchema; handler: (request: FastifyRequest<G>) => ApiResult | Promise<ApiResult> },
): void {
  api.route({
    method: def.method,
    url: def.url,
    ...(def.schema ? { schema: def.schema } : {}),
    onRequest: async (request, reply) => {
      const entry: RequestLogEntry = { at: performance.now(), method: request.method, path: def.url, label: def.label, status: 0 };
      ctx.log.push(entry);
      if (ctx.log.length > MAX_LOG_ENTRIES + 1000) ctx.log.splice(0, ctx.log.length - MAX_LOG_ENTRIES);
      const path = request.url.split('?')[0]?.replace(/^\/v2/, '') ?? '';
      calls.set(request.raw, { entry, target: { method: request.method, pattern: def.url, path, label: def.label }, reset: false });
      if (ctx.latencyMs > 0) await sleep(ctx.latencyMs);
      if (!ctx.tokens.valid(request.headers.authorization)) return sendError(reply, invalidToken());
      const decision = ctx.limiter.take(def.label);
      if (!decision.allowed) return sendError(reply, perSecondLimit(def.label, decision.limit));
      reply.headers({
        'X-RateLimit-Category': category(def.label),
        'X-RateLimit-Limit': String(decision.limit),
        'X-RateLimit-Remaining': String(decision.remaining),
      });
    },
    onResponse: async (request, reply) => {
      const call = calls.get(request.raw);
      if (call && !call.reset) call.entry.status = reply.statusCode;
    },
    handler: async (request, reply) => {
      const call = calls.get(request.raw);
      const before = call && ctx.faults.take(call.target, 'before');
      if (before && (await applyFault(before, request, reply))) return reply;
      let result: ApiResult;
      try {
        // The route schema has validated params, query and body, so the request has G's shape.
        result = await def.handler(request as unknown as FastifyRequest<G>);
      } catch (error) {
        if (!(error instanceof SimulatedZoomError)) throw error;
        reply.headers(error.headers);
        result = { status: error.status, body: error.body() };
      }
      const after = call && ctx.faults.take(call.target, 'after');
      if (after && (await applyFault(after, request, reply))) return reply;
      reply.code(result.status);
      return result.body === undefined ? reply.send() : reply.send(result.body);
    },
  });
}

/** Applies a fault; true when it answered (or dropped) the request, false to carry on ('slow'). */
async function applyFault(fault: FaultSpec, request: FastifyRequest, reply: FastifyReply): Promise<boolean> {
  switch (fault.kind) {
    case 'slow':
      await sleep(fault.delayMs ?? 5000);
      return false;
    case 'reset': {
      const call = calls.get(request.raw);
      if (call) call.reset = true;
      // The client sees a dropped connection, not an HTTP answer.
      reply.hijack();
      // Destroying the response destroys the socket on a real server and ends app.inject (with an error).
      reply.raw.destroy(new Error('connection reset (simulated fault)'));
      return true;
    }
    case 'token_expired':
      sendError(reply, invalidToken());
      return true;
    case 'http_500':
    case 'http_503':
      reply.code(fault.kind === 'http_500' ? 500 : 503).send(FAULT_BODIES[fault.kind]);
      return true;
  }
}

/**
 * Errors for the whole simulator in Zoom's `{code, message[, errors]}` shape (FACTS §2.10): schema
 * mismatches become 400 300 "Validation Failed." with one entry per problem.
 */
export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError | SimulatedZoomError, request, reply) => {
    if (error instanceof SimulatedZoomError) return sendError(reply, error);
    if (error.validation) {
      return sendError(
        reply,
        validationFailed(
          error.validation.map((v) => {
            const missing = v.keyword === 'required' ? `/${String(v.params.missingProperty)}` : '';
            const field = `${v.instancePath}${missing}`.replace(/^\//, '').replace(/\//g, '.');
            return { field: field || (error.validationContext ?? 'body'), message: v.message ?? 'Invalid field.' };
          }),
        ),
      );
    }
    if (error.code?.startsWith('FST_ERR_CTP_')) return sendError(reply, invalidJsonBody());
    const status = error.statusCode ?? 500;
    if (status < 500) return reply.code(status).send({ code: status, message: error.message });
    request.log.error({ err: error }, 'zoom simulator error');
    return reply.code(500).send({ code: 500, message: 'Internal server error.' });
  });
  app.setNotFoundHandler((request, reply) => reply.code(404).send({ code: 404, message: `No route for ${request.method} ${request.url.split('?')[0]}` }));
}

/**
 * The simulator's own validators: every problem reported at once; query strings and path params
 * coerced from text, JSON bodies not (a number is not silently an email).
 */
export function installValidators(app: FastifyInstance): void {
  const make = (coerceTypes: Options['coerceTypes']) => {
    const ajv = new Ajv.default({ allErrors: true, strict: false, useDefaults: true, coerceTypes });
    addFormats.default(ajv);
    return ajv;
  };
  const body = make(false);
  const text = make('array');
  app.setValidatorCompiler(({ schema, httpPart }) => (httpPart === 'body' ? body : text).compile(schema));
}
