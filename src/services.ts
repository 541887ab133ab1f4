import { join } from 'node:path';
import type { Logger } from 'pino';
import type { Config } from './config.js';
import type { Database } from './db/database.js';
import { createAuthService } from './auth/service.js';
import { createTokenService } from './auth/tokens.js';
import { createClassesService } from './classes/service.js';
import { createEnrollmentsService } from './enrollments/service.js';
import { createReceiptStore } from './payments/receipt-store.js';
import type { JobQueue } from './jobs/queue.js';
import { createBroadcastsService } from './notifications/broadcasts.js';
import { createDeliveriesService } from './notifications/deliveries.js';
import { createInboxService } from './notifications/inbox.js';
import { createNotifier } from './notifications/notifier.js';
import { notificationPaymentHooks } from './notifications/payment-hooks.js';
import { createPreferencesService } from './notifications/preferences.js';
import { createRetention } from './notifications/retention.js';
import { createStreamTickets } from './notifications/tickets.js';
import { createPaymentsService, type PaymentHooks } from './payments/service.js';
import { createPipeline } from './pipeline/index.js';
import { createWebinarsService } from './webinars/service.js';
import type { ZoomClient } from './zoom/client.js';
import { createWebhookProcessor } from './zoom/webhooks/processor.js';

export interface ServiceOptions {
  logger: Logger;
  zoom: ZoomClient;
  jobs: JobQueue;
}

/** Everything the app is made of, built from the config, the database and Zoom. No container, no magic. */
export function createServices(config: Config, database: Database, options: ServiceOptions) {
  const db = database.db;
  const { logger, zoom, jobs } = options;
  const notifier = createNotifier({ jobs });
  const pipeline = createPipeline({ db, jobs, zoom, notifier, logger });
  const notices = notificationPaymentHooks(notifier);
  // Verify: the enrollment notice and the Zoom registration jobs commit with the enrollments.
  const paymentHooks: PaymentHooks = {
    afterVerify: async (trx, event) => {
      await notices.afterVerify(trx, event);
      await pipeline.paymentHooks.afterVerify(trx, event);
    },
    afterReject: notices.afterReject,
  };
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
    payments: createPaymentsService({ db, receipts, hooks: paymentHooks }),
    enrollments: createEnrollmentsService({ db }),
    webinars: createWebinarsService({ db, zoom, hostUser: config.zoom.hostUser, onLinked: pipeline.onWebinarLinked }),
    webhooks: createWebhookProcessor({ db, logger, onApproved: pipeline.outcomes.approved }),
    pipeline,
    notifier,
    inbox: createInboxService({ db }),
    preferences: createPreferencesService({ db }),
    tickets: createStreamTickets({ db }),
    broadcasts: createBroadcastsService({ db, jobs }),
    deliveries: createDeliveriesService({ db, jobs }),
    retention: createRetention({ db }),
    jobs,
    zoom,
    logger,
  };
}

export type Services = ReturnType<typeof createServices>;
