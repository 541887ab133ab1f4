import { join } from 'node:path';
import type { Logger } from 'pino';
import type { Config } from './config.js';
import type { Database } from './db/database.js';
import { createAuthService } from './auth/service.js';
import { createTokenService } from './auth/tokens.js';
import { createClassesService } from './classes/service.js';
import { createEnrollmentsService } from './enrollments/service.js';
import { createReceiptStore } from './payments/receipt-store.js';
import { createPaymentsService, type PaymentHooks } from './payments/service.js';
import { createWebinarsService } from './webinars/service.js';
import type { ZoomClient } from './zoom/client.js';
import { createWebhookProcessor } from './zoom/webhooks/processor.js';

export interface ServiceOptions {
  logger: Logger;
  zoom: ZoomClient;
  paymentHooks?: PaymentHooks;
}

/** Everything the app is made of, built from the config, the database and Zoom. No container, no magic. */
export function createServices(config: Config, database: Database, options: ServiceOptions) {
  const db = database.db;
  const { logger, zoom } = options;
  const tokens = createTokenService({
    secret: config.jwtSecret,
    accessTtlSeconds: config.accessTokenTtlSeconds,
    refreshTtlSeconds: config.refreshTokenTtlSeconds,
  });
  const receipts = createReceiptStore({ dir: join(config.dataDir, 'receipts'), maxBytes: config.maxReceiptBytes });
  return {
    db,
    tokens,
    receipts,
    auth: createAuthService({ db, tokens }),
    classes: createClassesService({ db }),
    payments: createPaymentsService({ db, receipts, hooks: options.paymentHooks }),
    enrollments: createEnrollmentsService({ db }),
    webinars: createWebinarsService({ db, zoom, hostUser: config.zoom.hostUser }),
    webhooks: createWebhookProcessor({ db, logger }),
    zoom,
    logger,
  };
}

export type Services = ReturnType<typeof createServices>;
