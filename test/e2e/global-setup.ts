import { existsSync } from 'node:fs';
import { build } from 'vite';
import { CHROMIUM_PATH } from './browser.js';

/**
 * The end-to-end tests drive the built web app, served by the app under test from dist/web: build
 * it once per run (about a second) so they always test the current source.
 */
export default async function setup() {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(`The end-to-end tests need Chromium at ${CHROMIUM_PATH} (apt-get install -y chromium, or set CHROMIUM_PATH). .ci/run installs it.`);
  }
  // Vitest sets NODE_ENV=test, which would bundle React's development build: build what `npm run build` builds.
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await build({ configFile: new URL('../../web/vite.config.ts', import.meta.url).pathname, logLevel: 'warn' });
  } finally {
    process.env.NODE_ENV = nodeEnv;
  }
}
