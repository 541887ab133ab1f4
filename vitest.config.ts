import { defineConfig } from 'vitest/config';

/**
 * Every test file runs against PGlite; when TEST_DATABASE_URL is set, the same files run again
 * against that PostgreSQL server. Each file gets its own database, cloned from one migrated
 * template made once in global setup (PGlite: a data-dir dump; PostgreSQL: CREATE DATABASE … TEMPLATE).
 */
const postgresUrl = process.env.TEST_DATABASE_URL;
// The contract test needs Zoom's spec, which the project does not contain (see README).
const contract = process.env.ZOOM_OPENAPI_SPEC ? [] : ['test/zoom-contract.test.ts'];

const project = (name: 'pglite' | 'postgres') => ({
  extends: true as const,
  test: {
    name,
    env: { TEST_DB_KIND: name },
    globalSetup: [`./test/support/global-setup-${name}.ts`],
    // The process-level tests (CLI, config) and engine-free ones (Zoom client, contract, questions)
    // run once, in the PGlite project.
    exclude:
      name === 'postgres'
        ? ['test/cli.test.ts', 'test/config.test.ts', 'test/questions.test.ts', 'test/zoom-client.test.ts', 'test/zoom-contract.test.ts', 'test/zoom-simulator.test.ts']
        : contract,
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
