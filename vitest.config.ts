import { defineConfig } from 'vitest/config';

/**
 * Every test file runs against PGlite; when TEST_DATABASE_URL is set, the same files run again
 * against that PostgreSQL server. Each file gets its own database, cloned from one migrated
 * template made once in global setup (PGlite: a data-dir dump; PostgreSQL: CREATE DATABASE … TEMPLATE).
 * The web app's component tests (happy-dom) and the end-to-end tests (headless Chromium against a
 * real server on PGlite) run once, in projects of their own.
 */
const postgresUrl = process.env.TEST_DATABASE_URL;
// The contract test needs Zoom's spec, which the project does not contain (see README).
const contract = process.env.ZOOM_OPENAPI_SPEC ? [] : ['test/zoom-contract.test.ts'];
const browserTests = ['test/web/**', 'test/e2e/**'];
// Several EduConnect processes sharing one database: PostgreSQL only (PGlite lives inside one
// process), so these run in the postgres project, which exists only when TEST_DATABASE_URL is set.
const postgresOnly = ['test/pipeline-processes.test.ts'];

const project = (name: 'pglite' | 'postgres') => ({
  extends: true as const,
  test: {
    name,
    include: ['test/**/*.test.ts'],
    env: { TEST_DB_KIND: name },
    globalSetup: [`./test/support/global-setup-${name}.ts`],
    // The process-level tests (CLI, config) and engine-free ones (Zoom client, contract, questions)
    // run once, in the PGlite project.
    exclude:
      name === 'postgres'
        ? ['test/cli.test.ts', 'test/config.test.ts', 'test/questions.test.ts', 'test/zoom-client.test.ts', 'test/zoom-contract.test.ts', 'test/zoom-simulator.test.ts', ...browserTests]
        : [...contract, ...browserTests, ...postgresOnly],
  },
});

/** Component tests of the web app's browser logic, in a simulated DOM. */
const web = {
  extends: true as const,
  test: { name: 'web', include: ['test/web/**/*.test.{ts,tsx}'], environment: 'happy-dom', setupFiles: ['./test/web/setup.ts'] },
};

/** The built web app in headless Chromium, against a real server with workers and the Zoom simulator. */
const e2e = {
  extends: true as const,
  test: {
    name: 'e2e',
    include: ['test/e2e/**/*.test.ts'],
    env: { TEST_DB_KIND: 'pglite' },
    globalSetup: ['./test/support/global-setup-pglite.ts', './test/e2e/global-setup.ts'],
    testTimeout: 90_000,
    hookTimeout: 120_000,
  },
};

export default defineConfig({
  test: {
    // Each project names its files (a project's `include` would add to a shared one, not replace it).
    reporters: ['default', './test/support/summary-reporter.ts'],
    pool: 'forks',
    // A PGlite instance costs ~600 MB and a core; two at a time fits the 2-core machines.
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 60_000,
    projects: [...(postgresUrl ? [project('pglite'), project('postgres')] : [project('pglite')]), web, e2e],
  },
});
