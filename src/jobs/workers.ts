import type { Runtime } from '../runtime.js';
import { createMailer } from '../notifications/email/mailer.js';
import { createEmailDeliverer } from '../notifications/email/deliver.js';
import { QUEUES } from './queue.js';

/** Daily at 03:17 UTC: quiet, and not on the hour when everyone else's cron runs. */
const RETENTION_CRON = '17 3 * * *';

/**
 * The job handlers. They run inside `serve` by default and alone in `educonnect worker`; pg-boss
 * hands each job to one worker at a time, however many processes share the database.
 */
export async function startWorkers(runtime: Runtime): Promise<void> {
  const { config, database, logger, jobs } = runtime;
  const mailer = createMailer(config, logger);
  // Pooled SMTP connections would keep the process alive after shutdown.
  runtime.onClose(() => mailer.close());
  const deliverer = createEmailDeliverer({ db: database.db, mailer, logger, publicUrl: config.publicUrl });
  logger.info({ mail: mailer.describe() }, 'email ready');

  await jobs.work<{ deliveryId: number }>(
    'notification.email',
    async (job) => {
      // The last attempt marks the delivery failed (visible to admins, retryable by hand).
      const final = job.retryCount >= QUEUES['notification.email'].retryLimit;
      await deliverer.deliver(job.data.deliveryId, { final });
    },
    { includeMetadata: true, localConcurrency: 2, batchSize: 8 },
  );

  const { pipeline } = runtime.services;
  const finalAttempt = (queue: keyof typeof QUEUES, retryCount: number) => retryCount >= QUEUES[queue].retryLimit;
  await jobs.work<{ registrationId: number }>(
    'registration.register',
    async (job) => void (await pipeline.registrar.run(job.data.registrationId, { final: finalAttempt('registration.register', job.retryCount) })),
    // Each job mostly waits on Zoom; batches run side by side, so the client's rate limiter, not
    // the polling, sets the pace.
    { includeMetadata: true, localConcurrency: 2, batchSize: 16 },
  );
  await jobs.work<{ webinarId: number }>(
    'registration.batch',
    async (job) => void (await pipeline.batch.run(job.data.webinarId, { final: finalAttempt('registration.batch', job.retryCount) })),
    { includeMetadata: true, localConcurrency: 2 },
  );
  await jobs.work<{ webinarId: number }>(
    'registration.approve',
    async (job) => void (await pipeline.approver.run(job.data.webinarId, { final: finalAttempt('registration.approve', job.retryCount) })),
    { includeMetadata: true, localConcurrency: 2 },
  );
  await jobs.work<{ registrationId: number }>(
    'registration.cancel',
    async (job) => void (await pipeline.reversal.cancel(job.data.registrationId, { final: finalAttempt('registration.cancel', job.retryCount) })),
    { includeMetadata: true, localConcurrency: 2 },
  );
  await jobs.work('registration.reconcile', async () => {
    const { summary } = await pipeline.reconciler.run();
    await runtime.services.db
      .insertInto('app_settings')
      .values({ key: 'last_reconciliation', value: JSON.stringify(summary) })
      .onConflict((oc) => oc.column('key').doUpdateSet({ value: JSON.stringify(summary), updated_at: new Date() }))
      .execute();
  });
  await jobs.schedule('registration.reconcile', `*/${config.reconcileIntervalMinutes} * * * *`);

  await jobs.work('notification.retention', async () => {
    const deleted = await runtime.services.retention.deleteOldRead(config.notificationRetentionDays);
    logger.info({ deleted, olderThanDays: config.notificationRetentionDays }, 'notification retention done');
  });
  await jobs.schedule('notification.retention', RETENTION_CRON);
}
