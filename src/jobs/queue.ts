import { fromKysely, PgBoss, type Db as IDatabase, type Job, type QueueOptions, type SendOptions, type WorkOptions } from 'pg-boss';
import type { Logger } from 'pino';
import type { Database, Queryable } from '../db/database.js';

/**
 * A worker that dies (SIGKILL, OOM, power) leaves its jobs active. Without a heartbeat pg-boss takes
 * them back only after expireInSeconds (2–5 minutes here) and at its next monitor pass (every 60 s
 * by default), and students wait that long; with one, a job whose worker stopped beating is retried
 * within about heartbeat + monitor interval. Generous, because a heartbeat on PGlite waits its turn
 * behind the other transactions of the one session.
 */
const HEARTBEAT_SECONDS = 30;
const MONITOR_INTERVAL_SECONDS = 15;

/**
 * Every durable job queue, with its retry policy. A job is enqueued in the same transaction as the
 * rows it follows, so it exists if and only if they committed; pg-boss retries it with backoff.
 */
export const QUEUES = {
  /** Sends one notification email (data: { deliveryId }). */
  'notification.email': { retryLimit: 6, retryDelay: 5, retryBackoff: true, retryDelayMax: 600, expireInSeconds: 120 },
  /** Deletes read notifications older than the retention age (scheduled). */
  'notification.retention': { retryLimit: 2, retryDelay: 60, expireInSeconds: 600 },
  /** Registers one student for one webinar in Zoom (data: { registrationId }). */
  'registration.register': { retryLimit: 12, retryDelay: 2, retryBackoff: true, retryDelayMax: 300, expireInSeconds: 120, heartbeatSeconds: HEARTBEAT_SECONDS },
  /** Registers up to 30 queued students of a question-free webinar in one batch call (data: { webinarId }). */
  'registration.batch': { retryLimit: 12, retryDelay: 2, retryBackoff: true, retryDelayMax: 300, expireInSeconds: 120, heartbeatSeconds: HEARTBEAT_SECONDS },
  /** Approves the paid pending registrants of one webinar, 30 per call (data: { webinarId }). */
  'registration.approve': { retryLimit: 12, retryDelay: 2, retryBackoff: true, retryDelayMax: 300, expireInSeconds: 300, heartbeatSeconds: HEARTBEAT_SECONDS },
  /** Cancels one registration in Zoom after a refund or revocation (data: { registrationId }). */
  'registration.cancel': { retryLimit: 12, retryDelay: 5, retryBackoff: true, retryDelayMax: 600, expireInSeconds: 120, heartbeatSeconds: HEARTBEAT_SECONDS },
  /** Compares every upcoming webinar with Zoom and repairs the difference (scheduled). */
  'registration.reconcile': { retryLimit: 2, retryDelay: 60, expireInSeconds: 1800 },
} satisfies Record<string, QueueOptions>;

export type QueueName = keyof typeof QUEUES;

export interface JobQueue {
  /** Enqueues inside `trx`: the job commits or rolls back with the caller's rows. */
  send(trx: Queryable, name: QueueName, data: object, options?: SendOptions): Promise<string | null>;
  /** Many jobs in one statement, inside `trx` (broadcasts). */
  insert(trx: Queryable, name: QueueName, jobs: Array<{ data: object; singletonKey?: string }>): Promise<void>;
  /** Enqueues outside any transaction (admin retries). */
  sendNow(name: QueueName, data: object, options?: SendOptions): Promise<string | null>;
  work<T extends object>(name: QueueName, handler: (job: Job<T>) => Promise<void>, options?: WorkOptions): Promise<void>;
  schedule(name: QueueName, cron: string): Promise<void>;
  stop(): Promise<void>;
}

/**
 * PGlite is one session. Kysely's PGlite driver hands it out one holder at a time; pg-boss must
 * queue behind the same lock, or its polling would run inside one of our open transactions.
 */
function pgliteAdapter(database: Database): IDatabase {
  const pglite = database.pglite!;
  return {
    executeSql: (text, values) =>
      database.db.connection().execute(async () => {
        if (values?.length) return pglite.query(text, values as unknown[]);
        // pg-boss sends parameterless multi-statement blocks (migrations, locked sections).
        const results = await pglite.exec(text);
        return { rows: results.flatMap((r) => r.rows ?? []) };
      }),
  };
}

export async function startJobQueue(database: Database, options: { databaseUrl?: string; logger: Logger }): Promise<JobQueue> {
  const { logger } = options;
  // The monitor pass (expired and heartbeat-less jobs) runs every max(supervise, monitor) seconds.
  const supervision = { superviseIntervalSeconds: MONITOR_INTERVAL_SECONDS, monitorIntervalSeconds: MONITOR_INTERVAL_SECONDS };
  const boss =
    database.kind === 'pglite'
      ? new PgBoss({ db: pgliteAdapter(database), backend: 'pglite', schema: 'pgboss', ...supervision })
      : new PgBoss({ connectionString: options.databaseUrl, schema: 'pgboss', max: 4, application_name: 'educonnect-jobs', ...supervision });
  boss.on('error', (err) => logger.error({ err }, 'job queue error'));
  await boss.start();
  for (const [name, policy] of Object.entries(QUEUES)) {
    if (!(await boss.getQueue(name))) await boss.createQueue(name, policy);
    else await boss.updateQueue(name, policy);
    // Sending inside a transaction must not need a lookup through another connection (on PGlite
    // that would wait on the transaction itself): this puts the queue in pg-boss's cache now.
    await boss.getJobById(name, '00000000-0000-0000-0000-000000000000');
  }

  return {
    send: (trx, name, data, sendOptions = {}) => boss.send(name, data, { ...sendOptions, db: fromKysely(trx) }),
    insert: async (trx, name, jobs) => {
      if (jobs.length === 0) return;
      await boss.insert(name, jobs, { db: fromKysely(trx) });
    },
    sendNow: (name, data, sendOptions = {}) => boss.send(name, data, sendOptions),
    work: async (name, handler, workOptions = {}) => {
      await boss.work(name, { pollingIntervalSeconds: 0.5, burstWhenBatchFull: (workOptions.batchSize ?? 1) > 1, ...workOptions }, async (batch) => {
        // The jobs of a batch run side by side; each failure fails (and so retries) only its own
        // job — pg-boss then completes the rest, which are still active.
        const results = await Promise.allSettled(batch.map((job) => handler(job as Job<never>)));
        for (const [i, result] of results.entries()) {
          if (result.status === 'fulfilled') continue;
          const error = result.reason as Error;
          logger.warn({ queue: name, jobId: batch[i]!.id, err: error }, 'job failed; pg-boss will retry it per the queue policy');
          await boss.fail(name, batch[i]!.id, { message: error?.message ?? String(error) });
        }
      });
    },
    schedule: (name, cron) => boss.schedule(name, cron),
    stop: () => boss.stop({ graceful: true, timeout: 10_000 }),
  };
}
