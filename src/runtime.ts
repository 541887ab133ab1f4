import { join } from 'node:path';
import type { Logger } from 'pino';
import type { Config } from './config.js';
import { openDatabase, type Database } from './db/database.js';
import { migrateToLatest } from './db/migrate.js';
import { startJobQueue, type JobQueue } from './jobs/queue.js';
import { createLogger } from './logger.js';
import { createServices, type Services } from './services.js';
import { startZoom, type ZoomRuntime } from './zoom/runtime.js';

/** Everything a process needs besides HTTP: the database, Zoom, the job queue and the services. */
export interface Runtime {
  config: Config;
  logger: Logger;
  database: Database;
  zoom: ZoomRuntime;
  jobs: JobQueue;
  services: Services;
  migrationsApplied: string[];
  /** Registers something to close after the job queue has stopped (e.g. the mail transport its jobs use). */
  onClose(close: () => Promise<void> | void): void;
  close(): Promise<void>;
}

/**
 * Opens the pieces in dependency order and closes them in reverse. Callers may hand in pieces they
 * made themselves (tests pass a cloned database and their own Zoom simulator).
 */
export async function openRuntime(config: Config, given: { logger?: Logger; database?: Database; zoom?: ZoomRuntime } = {}): Promise<Runtime> {
  const logger = given.logger ?? createLogger(config);
  const database = given.database ?? (await openDatabase(config));
  const closers: Array<() => Promise<void>> = [];
  if (!given.database) closers.push(() => database.close());
  try {
    const migrationsApplied = await migrateToLatest(database);
    const zoom = given.zoom ?? (await startZoom(config.zoom, logger, { simulatorStateFile: join(config.dataDir, 'zoom-simulator.json') }));
    if (!given.zoom) closers.push(() => zoom.close());
    const jobs = await startJobQueue(database, { databaseUrl: config.databaseUrl, logger });
    closers.push(() => jobs.stop());
    const services = createServices(config, database, { logger, zoom: zoom.client, jobs });
    let closing: Promise<void> | undefined;
    return {
      config,
      logger,
      database,
      zoom,
      jobs,
      services,
      migrationsApplied,
      onClose: (close) => closers.unshift(async () => close()),
      close: () => {
        closing ??= (async () => {
          for (const close of closers.reverse()) await close().catch((err: unknown) => logger.error({ err }, 'error while closing'));
        })();
        return closing;
      },
    };
  } catch (error) {
    for (const close of closers.reverse()) await close().catch(() => {});
    throw error;
  }
}
