import type { FastifyInstance } from 'fastify';
import { buildApp } from './app.js';
import type { Config } from './config.js';
import { startWorkers } from './jobs/workers.js';
import { startInboxHub } from './notifications/realtime.js';
import { openRuntime, type Runtime } from './runtime.js';

export interface RunningServer {
  app: FastifyInstance;
  runtime: Runtime;
  url: string;
  close(): Promise<void>;
}

/** Stored webhook events are swept this often, so one stored just before a crash is still applied. */
const WEBHOOK_SWEEP_MS = 30_000;

export interface ServerHooks {
  /** Runs after the runtime is up and before the app listens (demo seeding). */
  beforeListen?: (runtime: Runtime) => Promise<void>;
}

/**
 * The `serve` process: the runtime, the live inbox hub, the HTTP app and — unless
 * EDUCONNECT_WORKERS=0 — the job workers. `close` stops accepting connections, lets in-flight
 * requests finish, stops the workers, then closes everything else.
 */
export async function startServer(config: Config, hooks: ServerHooks = {}): Promise<RunningServer> {
  const runtime = await openRuntime(config);
  const { services, logger } = runtime;
  try {
    await hooks.beforeListen?.(runtime);
    const hub = await startInboxHub(runtime.database, { databaseUrl: config.databaseUrl, inbox: services.inbox, logger });
    const app = await buildApp({ config, database: runtime.database, services, hub });
    app.addHook('onClose', () => hub.stop());
    await app.listen({ port: config.port, host: config.host });
    const address = app.server.address();
    const port = typeof address === 'object' && address ? address.port : config.port;
    runtime.zoom.connectWebhooks(`http://127.0.0.1:${port}`);
    logger.info({ zoom: runtime.zoom.describe() }, 'zoom ready');
    if (config.runWorkers) await startWorkers(runtime);

    services.webhooks.kick();
    const sweep = setInterval(() => services.webhooks.kick(), WEBHOOK_SWEEP_MS);
    sweep.unref();

    let closing: Promise<void> | undefined;
    return {
      app,
      runtime,
      url: `http://localhost:${port}`,
      close: () => {
        closing ??= (async () => {
          clearInterval(sweep);
          await app.close();
          await services.webhooks.idle();
          await runtime.close();
        })();
        return closing;
      },
    };
  } catch (error) {
    await runtime.close();
    throw error;
  }
}
