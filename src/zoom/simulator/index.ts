import Fastify from 'fastify';
import { registerErrorHandling, installValidators, type SimContext } from './api.js';
import { registerControlRoutes, registerJoinPage } from './control-routes.js';
import { registrantNotFound, validationFailed } from './errors.js';
import { registrationPayload, type RegistrationEventSink } from './events.js';
import { FaultRegistry } from './faults.js';
import { registerOAuthRoutes, TokenStore } from './oauth.js';
import { PageTokens } from './pagination.js';
import { Presenter } from './presenter.js';
import { DailyCounters, LabelLimiter } from './rate-limits.js';
import { Registrations } from './registrations.js';
import { registerRegistrantRoutes } from './routes-registrants.js';
import { registerWebinarRoutes } from './routes-webinars.js';
import { StateFile } from './state-file.js';
import { checkQuestions, SimStore } from './store.js';
import type { RequestLogEntry, ZoomSimulator, ZoomSimulatorOptions } from './types.js';
import { WebhookEmitter } from './webhooks.js';

export type { FaultSpec, RequestLogEntry, SimStatusAction, SimWebinarInput, WebhookDelivery, ZoomSimulator, ZoomSimulatorOptions } from './types.js';

/**
 * A stateful, in-memory stand-in for Zoom's webinar REST API, its Server-to-Server OAuth endpoint
 * and its registration webhooks, faithful to shared/zoom/FACTS.md. Built, not listening: use
 * `app.inject` or `listen()`.
 */
export async function createZoomSimulator(options: ZoomSimulatorOptions): Promise<ZoomSimulator> {
  const now = options.now ?? (() => new Date());
  const { accountId, clientId, clientSecret } = options;
  const app = Fastify({ logger: options.logger ?? false });
  let listeningUrl: string | undefined;
  const serverUrl = () => listeningUrl ?? 'http://127.0.0.1';
  const publicUrl = () => (options.publicUrl ?? serverUrl()).replace(/\/+$/, '');

  const store = new SimStore(now);
  const stateFile = options.stateFile ? new StateFile(options.stateFile, store, app.log) : undefined;
  await stateFile?.load();
  const presenter = new Presenter(publicUrl);
  const counters = new DailyCounters(now);
  const webhooks = new WebhookEmitter(now, app.log);
  if (options.webhook) webhooks.setTarget(options.webhook);
  const emit: RegistrationEventSink = (event, webinar, registrant, operator) =>
    webhooks.emit(event, registrationPayload(presenter, accountId, webinar, registrant, operator));
  const oauth = { accountId, clientId, clientSecret, ttlSeconds: options.tokenTtlSeconds ?? 3600, now };
  const log: RequestLogEntry[] = [];
  const ctx: SimContext = {
    store,
    registrations: new Registrations(store, counters, emit),
    presenter,
    tokens: new TokenStore(oauth),
    limiter: new LabelLimiter(options.plan ?? 'pro', options.rateScale ?? 1, options.enforceRateLimits ?? true),
    counters,
    pages: new PageTokens(now),
    faults: new FaultRegistry(),
    log,
    latencyMs: options.latencyMs ?? 0,
  };

  const sim: ZoomSimulator = {
    app,
    async listen(port = 0, host = '127.0.0.1') {
      listeningUrl = await app.listen({ port, host });
      return listeningUrl;
    },
    async close() {
      await webhooks.close();
      await app.close();
      await stateFile?.flush();
    },
    apiBaseUrl: () => `${serverUrl()}/v2`,
    tokenUrl: () => `${serverUrl()}/oauth/token`,
    createWebinar(input) {
      const webinar = store.createWebinar(input);
      stateFile?.changed();
      return presenter.webinar(webinar);
    },
    registrants: (webinarId) => [...store.webinar(webinarId).registrants.values()].map((r) => presenter.registrant(r)),
    setRegistrantStatus(webinarId, registrantId, action) {
      // The host acting in Zoom's portal: same transitions and webhooks, no API limits.
      const webinar = store.webinar(webinarId);
      if (!webinar.registrants.has(registrantId)) throw registrantNotFound(registrantId);
      ctx.registrations.updateStatus(webinarId, action, [{ id: registrantId }], { viaApi: false, operator: webinar.host });
      stateFile?.changed();
    },
    setQuestions(webinarId, questions) {
      const webinar = store.webinar(webinarId);
      const errors = checkQuestions(questions);
      if (errors.length > 0) throw validationFailed(errors);
      webinar.questions = { questions: [...questions.questions], custom_questions: [...questions.custom_questions] };
      stateFile?.changed();
    },
    addRegistrantDirectly(webinarId, input) {
      const { registrant } = ctx.registrations.add(webinarId, input, undefined, { viaApi: false });
      stateFile?.changed();
      return presenter.registrant(registrant);
    },
    injectFault: (fault) => ctx.faults.add(fault),
    clearFaults: () => ctx.faults.clear(),
    requestLog: () => log.map((entry) => ({ ...entry })),
    tokenRequests: () => ctx.tokens.count(),
    setWebhookTarget: (url, secretToken) => webhooks.setTarget({ url, secretToken }),
    webhookDeliveries: () => webhooks.deliveries(),
    webhooksSettled: () => webhooks.settled(),
    validateWebhookTarget: () => webhooks.validate(),
    reset() {
      // Issued access tokens stay valid (a client mid-run keeps working); their count restarts.
      store.reset();
      counters.reset();
      ctx.limiter.reset();
      ctx.pages.reset();
      ctx.faults.clear();
      ctx.tokens.resetCount();
      webhooks.reset();
      log.length = 0;
      stateFile?.changed();
    },
  };

  installValidators(app);
  // Any API or control call that may have changed state schedules a save (GETs never change it).
  app.addHook('onResponse', async (request) => {
    if (request.method !== 'GET') stateFile?.changed();
  });
  registerErrorHandling(app);
  registerOAuthRoutes(app, ctx.tokens, oauth);
  await app.register(
    async (api) => {
      registerWebinarRoutes(api, ctx);
      registerRegistrantRoutes(api, ctx);
    },
    { prefix: '/v2' },
  );
  registerControlRoutes(app, sim, ctx);
  registerJoinPage(app, ctx);
  return sim;
}

/** Creates and starts a simulator on `host:port` (default 127.0.0.1) — `educonnect zoom-simulator --port N`. */
export async function startStandaloneSimulator(options: ZoomSimulatorOptions & { port: number; host?: string }): Promise<ZoomSimulator> {
  const { port, host, ...rest } = options;
  const sim = await createZoomSimulator(rest);
  await sim.listen(port, host ?? '127.0.0.1');
  return sim;
}
