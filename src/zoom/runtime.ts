import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import type { ZoomConfig } from '../config.js';
import { createZoomClient, type ZoomClient } from './client.js';
import { createRateLimiter } from './rate-limiter.js';
import { createZoomSimulator, type ZoomSimulator } from './simulator/index.js';

export interface ZoomRuntime {
  mode: 'api' | 'simulator';
  client: ZoomClient;
  /** The in-process simulator in the zero-config mode. */
  simulator?: ZoomSimulator;
  /** Where Zoom should send webhooks, once the app listens (the simulator is told directly). */
  connectWebhooks(appUrl: string): void;
  describe(): string;
  close(): Promise<void>;
}

/**
 * Zoom as configured: the real API with Server-to-Server credentials, or the built-in simulator
 * listening on loopback, which the client then talks to over real HTTP like it would to Zoom.
 */
export async function startZoom(config: ZoomConfig, logger: Logger, options: { simulatorStateFile?: string } = {}): Promise<ZoomRuntime> {
  const limiter = createRateLimiter(config.plan);
  if (config.mode === 'api') {
    const client = createZoomClient({ ...config, limiter, logger });
    return {
      mode: 'api',
      client,
      connectWebhooks: () => {},
      describe: () => `Zoom API at ${config.apiBaseUrl} (plan ${config.plan})`,
      close: async () => {},
    };
  }

  const credentials = { accountId: 'educonnect-simulator', clientId: 'educonnect', clientSecret: randomBytes(24).toString('hex') };
  const simulator = await createZoomSimulator({ ...credentials, plan: config.plan, stateFile: options.simulatorStateFile });
  await simulator.listen(config.simulatorPort, '127.0.0.1');
  const client = createZoomClient({ ...credentials, apiBaseUrl: simulator.apiBaseUrl(), tokenUrl: simulator.tokenUrl(), timeoutMs: config.timeoutMs, limiter, logger });
  return {
    mode: 'simulator',
    client,
    simulator,
    connectWebhooks: (appUrl) => simulator.setWebhookTarget(`${appUrl}/zoom/webhook/`, config.webhookSecretToken),
    describe: () => `built-in Zoom simulator at ${simulator.apiBaseUrl()} (plan ${config.plan})`,
    close: () => simulator.close(),
  };
}
