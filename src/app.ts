import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import multipart from '@fastify/multipart';
import fastifyStatic from '@fastify/static';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import { fastifySSE } from '@fastify/sse';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Config } from './config.js';
import type { Database } from './db/database.js';
import { authRoutes } from './auth/routes.js';
import { adminClassRoutes } from './classes/admin-routes.js';
import { CatalogClassSchema, ClassSchema } from './classes/presenter.js';
import { PublicWebinarSchema, WebinarSchema } from './webinars/presenter.js';
import { studentClassRoutes } from './classes/student-routes.js';
import { EnrollmentSchema, studentEnrollmentRoutes } from './enrollments/student-routes.js';
import { requireAuth } from './http/auth-guard.js';
import { registerErrorHandlers } from './http/errors.js';
import { healthRoutes } from './http/health.js';
import { installValidators } from './http/validation.js';
import { ErrorSchema } from './http/schemas.js';
import { adminPaymentRoutes } from './payments/admin-routes.js';
import { AdminPaymentSchema, StudentPaymentSchema } from './payments/presenter.js';
import { studentPaymentRoutes } from './payments/student-routes.js';
import type { Services } from './services.js';
import { adminStudentRoutes } from './users/admin-routes.js';
import { UserSchema } from './users/presenter.js';
import { adminWebinarRoutes } from './webinars/admin-routes.js';
import { adminNotificationRoutes } from './notifications/admin-routes.js';
import { NotificationSchema } from './notifications/inbox.js';
import type { InboxHub } from './notifications/realtime.js';
import { notificationRoutes } from './notifications/routes.js';
import { adminPipelineRoutes } from './pipeline/admin-routes.js';
import { adminReportRoutes } from './reports/admin-routes.js';
import { zoomWebhookRoutes } from './zoom/webhooks/routes.js';

export interface AppOptions {
  config: Config;
  database: Database;
  services: Services;
  /** Live inbox fan-out of this process (started by the caller: it holds a LISTEN connection). */
  hub: InboxHub;
  /**
   * The built web app (`npm run build` → dist/web). Default: dist/web beside this module's folder,
   * which is the same directory from src/ (tests) and dist/ (built). `null`, or no index.html
   * there, serves the API only.
   */
  webRoot?: string | null;
}

/** Path prefixes that belong to the API: never answered with the web app's index.html. */
const API_PREFIXES = ['/auth', '/students', '/edu_admin', '/zoom', '/docs', '/healthz', '/readyz'];

const DEFAULT_WEB_ROOT = fileURLToPath(new URL('../dist/web/', import.meta.url));

/** The web app's pages are addressed like /classes or /admin/receipts: a browser navigating there gets index.html. */
function wantsWebPage(request: FastifyRequest): boolean {
  if (request.method !== 'GET' && request.method !== 'HEAD') return false;
  if (!(request.headers.accept ?? '').includes('text/html')) return false;
  const path = request.url.split('?')[0] ?? '/';
  return !API_PREFIXES.some((prefix) => path === prefix || path.startsWith(`${prefix}/`));
}

/** The page shell: never cached (it names the current hashed assets), and a CSP that allows only our own code. */
const WEB_PAGE_HEADERS = {
  'cache-control': 'no-cache',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'same-origin',
  'content-security-policy':
    "default-src 'self'; img-src 'self' blob: data:; frame-src 'self' blob:; object-src 'self' blob:; style-src 'self'; script-src 'self'; connect-src 'self'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'",
};

function serveWebPage(reply: FastifyReply): FastifyReply {
  void reply.headers(WEB_PAGE_HEADERS);
  return reply.sendFile('index.html');
}

/**
 * The whole HTTP application, built but not listening (server.ts listens; tests inject).
 * Plugins load in a fixed order: plumbing, docs, public routes, then the two role scopes.
 */
export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const { config, database, services, hub } = options;
  const webRoot = options.webRoot === undefined ? DEFAULT_WEB_ROOT : options.webRoot;
  const web = webRoot && existsSync(join(webRoot, 'index.html')) ? webRoot : null;
  const app = Fastify({
    // Fastify's logger type is a narrower view of the same pino instance.
    loggerInstance: services.logger as FastifyBaseLogger,
    routerOptions: { ignoreTrailingSlash: true },
    requestIdHeader: 'x-request-id',
    genReqId: () => randomUUID(),
    // Only behind a proxy we run may X-Forwarded-For name the client (the login limiter keys on it).
    trustProxy: config.trustProxy,
  }).withTypeProvider<TypeBoxTypeProvider>();

  app.decorateRequest('authUser', null);
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });
  registerErrorHandlers(app, web ? { notFoundFallback: (request, reply) => (wantsWebPage(request) ? serveWebPage(reply) : undefined) } : {});
  installValidators(app);

  for (const schema of [ErrorSchema, UserSchema, WebinarSchema, PublicWebinarSchema, ClassSchema, CatalogClassSchema, StudentPaymentSchema, AdminPaymentSchema, EnrollmentSchema, NotificationSchema]) {
    app.addSchema(schema);
  }

  await app.register(swagger, {
    openapi: {
      info: { title: 'EduConnect API', version: '1.0.0', description: 'Paid live classes on Zoom webinars. Errors: see the `Error` schema.' },
      components: { securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } } },
    },
    refResolver: { buildLocalReference: (json, _baseUri, _fragment, i) => (typeof json.$id === 'string' ? json.$id : `def-${i}`) },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
  await app.register(rateLimit, { global: false });
  // Heartbeats keep proxies from closing an idle stream and let the client notice a dead one.
  await app.register(fastifySSE, { heartbeatInterval: 15_000 });
  await app.register(multipart, {
    // Two files allowed through so the form reader can say "exactly one" instead of a bare limit error.
    limits: { fileSize: config.maxReceiptBytes, files: 2, fields: 20, fieldSize: 10_000, parts: 25 },
  });

  const { db, tokens } = services;
  await app.register(healthRoutes, { database });
  await app.register(authRoutes, { prefix: '/auth', config, db, tokens, auth: services.auth });

  await app.register(
    async (admin) => {
      admin.addHook('onRequest', requireAuth({ db, tokens }, 'admin'));
      await admin.register(adminClassRoutes, { config, classes: services.classes });
      await admin.register(adminPaymentRoutes, { config, payments: services.payments });
      await admin.register(adminStudentRoutes, { config, db });
      await admin.register(adminWebinarRoutes, { webinars: services.webinars });
      await admin.register(adminPipelineRoutes, { config, db, pipeline: services.pipeline, zoom: services.zoom });
      await admin.register(adminNotificationRoutes, { config, broadcasts: services.broadcasts, deliveries: services.deliveries });
      await admin.register(adminReportRoutes, { db });
    },
    { prefix: '/edu_admin' },
  );

  await app.register(zoomWebhookRoutes, { prefix: '/zoom', db, secretToken: config.zoom.webhookSecretToken, processor: services.webhooks });

  // The seed's inbox lives under /students/ but serves any signed-in user their own notifications.
  await app.register(notificationRoutes, { prefix: '/students', db, tokens, inbox: services.inbox, preferences: services.preferences, tickets: services.tickets, hub });

  await app.register(
    async (student) => {
      student.addHook('onRequest', requireAuth({ db, tokens }, 'student'));
      await student.register(studentClassRoutes, { config, classes: services.classes });
      await student.register(studentPaymentRoutes, { config, payments: services.payments, receipts: services.receipts });
      await student.register(studentEnrollmentRoutes, { enrollments: services.enrollments });
    },
    { prefix: '/students' },
  );

  // The web app, after every API route: its files by name (routes made from the built files, so an
  // unknown path still reaches the not-found handler, which answers pages with index.html).
  if (web) {
    await app.register(fastifyStatic, {
      root: web,
      wildcard: false,
      index: false,
      cacheControl: false,
      setHeaders: (reply, path) => {
        if (path.endsWith('.html')) void reply.headers(WEB_PAGE_HEADERS);
        // Vite names assets by content hash: a name never changes meaning.
        else void reply.header('cache-control', path.includes('/assets/') ? 'public, max-age=31536000, immutable' : 'public, max-age=3600');
      },
    });
    app.get('/', { schema: { hide: true } }, (_request, reply) => serveWebPage(reply));
  }

  return app;
}
