import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import type { FastifyInstance } from 'fastify';
import { inject } from 'vitest';
import { buildApp } from '../../src/app.js';
import { loadConfig, type Config } from '../../src/config.js';
import { fromPglite, openPostgres, type Database } from '../../src/db/database.js';
import { createLogger } from '../../src/logger.js';
import { startWorkers } from '../../src/jobs/workers.js';
import { startInboxHub, type InboxHub } from '../../src/notifications/realtime.js';
import { openRuntime, type Runtime } from '../../src/runtime.js';
import type { Services } from '../../src/services.js';
import type { ZoomRuntime } from '../../src/zoom/runtime.js';
import { createZoomClient } from '../../src/zoom/client.js';
import { createRateLimiter } from '../../src/zoom/rate-limiter.js';
import { createZoomSimulator, type ZoomSimulator, type ZoomSimulatorOptions } from '../../src/zoom/simulator/index.js';
import { databaseUrl, requireTestDatabaseUrl, withAdminClient } from './postgres.js';

export interface TestContext {
  app: FastifyInstance;
  database: Database;
  config: Config;
  services: Services;
  runtime: Runtime;
  hub: InboxHub;
  /** The Zoom simulator this app's client talks to, over real HTTP on loopback. */
  zoom: ZoomSimulator;
  dataDir: string;
  /** Makes the app listen on loopback and points the simulator's webhooks at it; returns its URL. */
  listen(): Promise<string>;
  close(): Promise<void>;
}

export interface TestContextOptions {
  env?: Record<string, string>;
  simulator?: Partial<ZoomSimulatorOptions>;
  /** Run the job workers (emails) in this context. */
  workers?: boolean;
}

/** A fresh database for one test file: a copy of the migrated template, on the project's engine. */
async function freshDatabase(): Promise<{ database: Database; drop: () => Promise<void> }> {
  if (process.env.TEST_DB_KIND === 'postgres') {
    const name = `educonnect_t_${process.pid}_${randomBytes(4).toString('hex')}`;
    const template = inject('postgresTemplate');
    await withAdminClient((c) => c.query(`CREATE DATABASE ${name} TEMPLATE ${template}`));
    const url = databaseUrl(requireTestDatabaseUrl(), name);
    const database = openPostgres(url, 25);
    return { database, drop: () => withAdminClient((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => undefined) };
  }
  const dump = await readFile(inject('pgliteDump'));
  const pglite = await PGlite.create({ loadDataDir: new Blob([dump]) });
  return { database: fromPglite(pglite), drop: async () => {} };
}

/**
 * The whole app on a fresh database, with a Zoom simulator of its own. The database URL is put in
 * the config on PostgreSQL because the job queue and the live inbox open their own connections.
 */
export async function createTestContext(options: TestContextOptions = {}): Promise<TestContext> {
  const dataDir = await mkdtemp(join(tmpdir(), 'educonnect-data-'));
  const { database, drop, url } = await freshDatabaseWithUrl();
  const config = loadConfig({
    EDUCONNECT_DATA_DIR: dataDir,
    JWT_SECRET: randomBytes(32).toString('hex'),
    LOG_LEVEL: 'silent',
    PUBLIC_URL: 'http://educonnect.test',
    ...(url ? { DATABASE_URL: url } : {}),
    ...options.env,
  });
  const credentials = { accountId: 'test-account', clientId: 'test-client', clientSecret: randomBytes(12).toString('hex') };
  const zoom = await createZoomSimulator({ ...credentials, ...options.simulator });
  await zoom.listen(0, '127.0.0.1');
  const logger = createLogger({ logLevel: 'silent' });
  const client = createZoomClient({
    ...credentials,
    apiBaseUrl: zoom.apiBaseUrl(),
    tokenUrl: zoom.tokenUrl(),
    timeoutMs: 2_000,
    limiter: createRateLimiter(config.zoom.plan),
    logger,
  });
  const zoomRuntime: ZoomRuntime = { mode: 'simulator', client, simulator: zoom, connectWebhooks: () => {}, describe: () => 'test simulator', close: async () => {} };
  const runtime = await openRuntime(config, { logger, database, zoom: zoomRuntime });
  const hub = await startInboxHub(database, { databaseUrl: config.databaseUrl, inbox: runtime.services.inbox, logger });
  if (options.workers) await startWorkers(runtime);
  const app = await buildApp({ config, database, services: runtime.services, hub });
  await app.ready();
  return {
    app,
    database,
    config,
    services: runtime.services,
    runtime,
    hub,
    zoom,
    dataDir,
    listen: async () => {
      await app.listen({ port: 0, host: '127.0.0.1' });
      const address = app.server.address();
      const appUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
      zoom.setWebhookTarget(`${appUrl}/zoom/webhook/`, config.zoom.webhookSecretToken);
      return appUrl;
    },
    close: async () => {
      await app.close();
      await hub.stop();
      await runtime.services.webhooks.idle();
      await runtime.close();
      await zoom.close();
      await database.close();
      await drop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

async function freshDatabaseWithUrl() {
  const { database, drop } = await freshDatabase();
  return { database, drop, url: database.kind === 'postgres' ? database.url : undefined };
}
