import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import type { TestProject } from 'vitest/node';
import { fromPglite } from '../../src/db/database.js';
import { migrateToLatest } from '../../src/db/migrate.js';

declare module 'vitest' {
  export interface ProvidedContext {
    pgliteDump: string;
    postgresTemplate: string;
  }
}

/** Migrates one PGlite once and dumps it; every test file starts from a copy of the dump. */
export default async function setup(project: TestProject) {
  const dir = await mkdtemp(join(tmpdir(), 'educonnect-test-'));
  const database = fromPglite(await PGlite.create());
  await migrateToLatest(database);
  const dump = await database.pglite!.dumpDataDir('none');
  const file = join(dir, 'migrated.tar');
  await writeFile(file, Buffer.from(await dump.arrayBuffer()));
  await database.close();
  project.provide('pgliteDump', file);
  return async () => rm(dir, { recursive: true, force: true });
}
