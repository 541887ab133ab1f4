import type { FastifyInstance } from 'fastify';
import { buildApp } from './app.js';
import type { Config } from './config.js';
import { openDatabase, type Database } from './db/database.js';
import { migrateToLatest } from './db/migrate.js';
import { createServices } from './services.js';

export interface RunningServer {
  app: FastifyInstance;
  database: Database;
  url: string;
  migrationsApplied: string[];
  close(): Promise<void>;
}

/**
 * Opens the database, applies migrations, builds the app and listens. `close` stops accepting
 * connections, lets in-flight requests finish, then closes the database.
 */
export async function startServer(config: Config, hooks: { beforeListen?: (database: Database, services: ReturnType<typeof createServices>) => Promise<void> } = {}): Promise<RunningServer> {
  const database = await openDatabase(config);
  try {
    const migrationsApplied = await migrateToLatest(database);
    const services = createServices(config, database);
    await hooks.beforeListen?.(database, services);
    const app = await buildApp({ config, database, services });
    await app.listen({ port: config.port, host: config.host });
    const address = app.server.address();
    const port = typeof address === 'object' && address ? address.port : config.port;
    let closing: Promise<void> | undefined;
    return {
      app,
      database,
      url: `http://localhost:${port}`,
      migrationsApplied,
      close: () => {
        closing ??= app.close().then(() => database.close());
        return closing;
      },
    };
  } catch (error) {
    await database.close().catch(() => {});
    throw error;
  }
}
