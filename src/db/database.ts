import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { Kysely, PostgresDialect, sql, type Transaction } from 'kysely';
import { PGliteDialect } from 'kysely-pglite-dialect';
import pg from 'pg';
import type { Database as Schema } from './schema.js';

export type Db = Kysely<Schema>;
export type Tx = Transaction<Schema>;
/** Either the root handle or an open transaction: repositories accept both. */
export type Queryable = Db | Tx;

/**
 * One handle over either PostgreSQL (node-postgres pool) or embedded PGlite. The same SQL runs on
 * both; the only difference the rest of the code sees is `kind`.
 */
export interface Database {
  kind: 'postgres' | 'pglite';
  db: Db;
  /** Runs a multi-statement SQL script inside `trx` (migrations). */
  execScript(trx: Queryable, script: string): Promise<void>;
  ping(): Promise<void>;
  close(): Promise<void>;
  /** The embedded instance, when there is one (tests dump and clone it). */
  pglite?: PGlite;
  /** The PostgreSQL URL, when on PostgreSQL (the job queue and LISTEN open their own connections). */
  url?: string;
}

// node-postgres returns int8 (count(*), bigint ids) as strings; PGlite returns numbers. Our bigints
// stay far below 2^53, so both drivers are made to agree on numbers. numeric stays a string.
const pgTypes = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === pg.types.builtins.INT8 ? (v: string) => Number(v) : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

export function openPostgres(url: string, poolSize = 10): Database {
  const pool = new pg.Pool({ connectionString: url, max: poolSize, types: pgTypes, connectionTimeoutMillis: 10_000 });
  // An idle pooled connection can die (server restart, admin kill). node-postgres then emits
  // 'error' on the pool, and an unhandled one would crash the process; the pool replaces the
  // client on next use, so a warning is the right answer.
  pool.on('error', (error) => process.emitWarning(`PostgreSQL idle connection lost: ${error.message}`, { code: 'EDUCONNECT_PG_IDLE' }));
  const db = new Kysely<Schema>({ dialect: new PostgresDialect({ pool }) });
  return {
    kind: 'postgres',
    url,
    db,
    // Without parameters node-postgres uses the simple query protocol, which runs several statements.
    execScript: async (trx, script) => {
      await sql.raw(script).execute(trx);
    },
    ping: async () => {
      await sql`select 1`.execute(db);
    },
    close: () => db.destroy(),
  };
}

export function fromPglite(pglite: PGlite): Database {
  const db = new Kysely<Schema>({ dialect: new PGliteDialect(pglite) });
  return {
    kind: 'pglite',
    db,
    pglite,
    // PGlite is a single session: `exec` runs inside whatever transaction Kysely has open on it.
    execScript: async (_trx, script) => {
      await pglite.exec(script);
    },
    ping: async () => {
      await sql`select 1`.execute(db);
    },
    close: () => db.destroy(),
  };
}

export async function openPglite(dataDir: string): Promise<Database> {
  const dir = join(dataDir, 'pgdata');
  mkdirSync(dir, { recursive: true });
  return fromPglite(await PGlite.create({ dataDir: dir }));
}

export async function openDatabase(options: { databaseUrl: string | undefined; dataDir: string }): Promise<Database> {
  return options.databaseUrl ? openPostgres(options.databaseUrl) : openPglite(options.dataDir);
}
