/**
 * `npm run bench` runs every part; `npm run bench -- <part> [<part>…]` runs some.
 * Parts: foundation (HTTP basics, PGlite or BENCH_DATABASE_URL), notifications (PostgreSQL).
 */
import { benchFoundation } from './foundation.js';
import { benchNotifications } from './notifications.js';
import { benchPipeline } from './pipeline.js';

const parts: Record<string, () => Promise<void>> = { foundation: benchFoundation, notifications: benchNotifications, pipeline: benchPipeline };
const chosen = process.argv.slice(2).length ? process.argv.slice(2) : Object.keys(parts);
for (const name of chosen) {
  const run = parts[name];
  if (!run) {
    console.error(`Unknown bench part "${name}"; parts: ${Object.keys(parts).join(', ')}`);
    process.exit(2);
  }
  await run();
}
