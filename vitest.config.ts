import { defineConfig } from 'vitest/config';

/**
 * Every test file runs against PGlite; when TEST_DATABASE_URL is set, the same files run again
 * against that PostgreSQL server. Each file gets its own database, cloned from one migrated
 * template made once in global setup (PGlite: a data-dir dump; PostgreSQL: CREATE DATABASE … TEMPLATE).
 */
const postgresUrl = process.env.TEST_DATABASE_URL;

const project = (name: 'pglite' | 'postgres') => ({
  extends: true as const,
  test: {
    name,
    env: { TEST_DB_KIND: name },
    globalSetup: [`./test/support/global-setup-${name}.ts`],
    // The CLI and config tests are about the process, not the engine: PGlite covers them once.
    exclude: name === 'postgres' ? ['test/cli.test.ts', 'test/config.test.ts'] : [],
  },
});

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    reporters: ['default', './test/support/summary-reporter.ts'],
    pool: 'forks',
    // A PGlite instance costs ~600 MB and a core; two at a time fits the 2-core machines.
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 60_000,
    projects: postgresUrl ? [project('pglite'), project('postgres')] : [project('pglite')],
  },
});
