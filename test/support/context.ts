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
import { createServices, type Services } from '../../src/services.js';
import { createZoomClient } from '../../src/zoom/client.js';
import { createRateLimiter } from '../../src/zoom/rate-limiter.js';
import { createZoomSimulator, type ZoomSimulator, type ZoomSimulatorOptions } from '../../src/zoom/simulator/index.js';
import { databaseUrl, requireTestDatabaseUrl, withAdminClient } from './postgres.js';

export interface TestContext {
  app: FastifyInstance;
  database: Database;
  config: Config;
  services: Services;
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
}

/** A fresh database for one test file: a copy of the migrated template, on the project's engine. */
async function freshDatabase(): Promise<{ database: Database; drop: () => Promise<void> }> {
  if (process.env.TEST_DB_KIND === 'postgres') {
    const name = `educonnect_t_${process.pid}_${randomBytes(4).toString('hex')}`;
    const template = inject('postgresTemplate');
    await withAdminClient((c) => c.query(`CREATE DATABASE ${name} TEMPLATE ${template}`));
    const database = openPostgres(databaseUrl(requireTestDatabaseUrl(), name), 25);
    return { database, drop: () => withAdminClient((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => undefined) };
  }
  const dump = await readFile(inject('pgliteDump'));
  const pglite = await PGlite.create({ loadDataDir: new Blob([dump]) });
  return { database: fromPglite(pglite), drop: async () => {} };
}

export async function createTestContext(options: TestContextOptions = {}): Promise<TestContext> {
  const dataDir = await mkdtemp(join(tmpdir(), 'educonnect-data-'));
  const config = loadConfig({
    EDUCONNECT_DATA_DIR: dataDir,
    JWT_SECRET: randomBytes(32).toString('hex'),
    LOG_LEVEL: 'silent',
    PUBLIC_URL: 'http://educonnect.test',
    ...options.env,
  });
  const { database, drop } = await freshDatabase();
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
  const services = createServices(config, database, { logger, zoom: client });
  const app = await buildApp({ config, database, services });
  await app.ready();
  return {
    app,
    database,
    config,
    services,
    zoom,
    dataDir,
    listen: async () => {
      await app.listen({ port: 0, host: '127.0.0.1' });
      const address = app.server.address();
      const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
      zoom.setWebhookTarget(`${url}/zoom/webhook/`, config.zoom.webhookSecretToken);
      return url;
    },
    close: async () => {
      await app.close();
      await services.webhooks.idle();
      await zoom.close();
      await database.close();
      await drop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
