import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { Migrator, type Migration, type MigrationProvider, type MigrationResultSet } from 'kysely';
import type { Database, Queryable } from './database.js';

/** `migrations/` at the package root: the same relative place from `src/db` and `dist/db`. */
export const MIGRATIONS_DIR = fileURLToPath(new URL('../../migrations/', import.meta.url));

/**
 * Migrations are numbered plain SQL files (`0001_initial.sql`, …), forward-only. Kysely's Migrator
 * records them and takes a lock so that several processes starting together migrate once.
 */
class SqlFileMigrationProvider implements MigrationProvider {
  constructor(
    private readonly dir: string,
    private readonly exec: (trx: Queryable, script: string) => Promise<void>,
  ) {}

  async getMigrations(): Promise<Record<string, Migration>> {
    const files = (await readdir(this.dir)).filter((f) => /^\d{4}_[\w-]+\.sql$/.test(f)).sort();
    const migrations: Record<string, Migration> = {};
    for (const file of files) {
      const script = await readFile(`${this.dir}/${file}`, 'utf8');
      migrations[file.replace(/\.sql$/, '')] = { up: (db) => this.exec(db, script) };
    }
    return migrations;
  }
}

export class MigrationFailedError extends Error {
  constructor(readonly migration: string | undefined, cause: unknown) {
    super(`Migration ${migration ?? '(unknown)'} failed: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
  }
}

/** Applies every pending migration; returns the names applied now. */
export async function migrateToLatest(database: Database, dir = MIGRATIONS_DIR): Promise<string[]> {
  const migrator = new Migrator({
    db: database.db,
    provider: new SqlFileMigrationProvider(dir, database.execScript),
    migrationTableName: 'schema_migrations',
    migrationLockTableName: 'schema_migrations_lock',
  });
  const { error, results }: MigrationResultSet = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error');
    throw new MigrationFailedError(failed?.migrationName, error);
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
