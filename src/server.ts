import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApp } from './app.js';
import type { Config } from './config.js';
import { openDatabase, type Database } from './db/database.js';
import { migrateToLatest } from './db/migrate.js';
import { createLogger } from './logger.js';
import { createServices, type Services } from './services.js';
import { startZoom, type ZoomRuntime } from './zoom/runtime.js';

export interface RunningServer {
  app: FastifyInstance;
  database: Database;
  services: Services;
  zoom: ZoomRuntime;
  url: string;
  migrationsApplied: string[];
  close(): Promise<void>;
}

/** Stored webhook events are swept this often, so one stored just before a crash is still applied. */
const WEBHOOK_SWEEP_MS = 30_000;

/**
 * Opens the database, applies migrations, starts Zoom (real or simulated), builds the app and
 * listens. `close` stops accepting connections, lets in-flight requests finish, then closes Zoom
 * and the database.
 */
export interface ServerHooks {
  onZoom?: (zoom: ZoomRuntime) => void;
  beforeListen?: (services: Services, database: Database) => Promise<void>;
}

export async function startServer(config: Config, hooks: ServerHooks = {}): Promise<RunningServer> {
  const logger = createLogger(config);
  const database = await openDatabase(config);
  let zoom: ZoomRuntime | undefined;
  try {
    const migrationsApplied = await migrateToLatest(database);
    zoom = await startZoom(config.zoom, logger, { simulatorStateFile: join(config.dataDir, 'zoom-simulator.json') });
    hooks.onZoom?.(zoom);
    const services = createServices(config, database, { logger, zoom: zoom.client });
    await hooks.beforeListen?.(services, database);
    const app = await buildApp({ config, database, services });
    await app.listen({ port: config.port, host: config.host });
    const address = app.server.address();
    const port = typeof address === 'object' && address ? address.port : config.port;
    const url = `http://localhost:${port}`;
    zoom.connectWebhooks(`http://127.0.0.1:${port}`);
    logger.info({ zoom: zoom.describe() }, 'zoom ready');

    services.webhooks.kick();
    const sweep = setInterval(() => services.webhooks.kick(), WEBHOOK_SWEEP_MS);
    sweep.unref();

    let closing: Promise<void> | undefined;
    const runtime = zoom;
    return {
      app,
      database,
      services,
      zoom: runtime,
      url,
      migrationsApplied,
      close: () => {
        closing ??= (async () => {
          clearInterval(sweep);
          await app.close();
          await services.webhooks.idle();
          await runtime.close();
          await database.close();
        })();
        return closing;
      },
    };
  } catch (error) {
    await zoom?.close().catch(() => {});
    await database.close().catch(() => {});
    throw error;
  }
}
