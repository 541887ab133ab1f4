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
import { createServices, type Services } from '../../src/services.js';
import { databaseUrl, requireTestDatabaseUrl, withAdminClient } from './postgres.js';

export interface TestContext {
  app: FastifyInstance;
  database: Database;
  config: Config;
  services: Services;
  dataDir: string;
  close(): Promise<void>;
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

export async function createTestContext(env: Record<string, string> = {}): Promise<TestContext> {
  const dataDir = await mkdtemp(join(tmpdir(), 'educonnect-data-'));
  const config = loadConfig({
    EDUCONNECT_DATA_DIR: dataDir,
    JWT_SECRET: randomBytes(32).toString('hex'),
    LOG_LEVEL: 'silent',
    PUBLIC_URL: 'http://educonnect.test',
    ...env,
  });
  const { database, drop } = await freshDatabase();
  const services = createServices(config, database);
  const app = await buildApp({ config, database, services, logger: false });
  await app.ready();
  return {
    app,
    database,
    config,
    services,
    dataDir,
    close: async () => {
      await app.close();
      await database.close();
      await drop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
