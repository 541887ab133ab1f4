import type { Logger } from 'pino';
import { recordAudit } from '../audit/audit.js';
import type { Db, Tx } from '../db/database.js';
import { AppError, notFound } from '../http/errors.js';
import type { JobQueue } from '../jobs/queue.js';
import type { Notifier } from '../notifications/notifier.js';
import type { PaymentHooks } from '../payments/service.js';
import type { ZoomClient } from '../zoom/client.js';
import { createApprover } from './approve.js';
import { createBatchRegistrar } from './batch.js';
import { createOutcomes } from './outcomes.js';
import { createReconciler } from './reconcile.js';
import { createRegistrar } from './register.js';
import { queueRegistrations } from './registrations.js';
import { createReversal } from './reversal.js';

export interface PipelineDeps {
  db: Db;
  jobs: JobQueue;
  zoom: ZoomClient;
  notifier: Notifier;
  logger: Logger;
  now?: () => Date;
}

/**
 * The automation pipeline: verify → enroll → register in Zoom → approve → notify, each step a
 * durable job. This object is what the rest of the app (hooks, workers, admin routes) uses.
 */
export function createPipeline(deps: PipelineDeps) {
  const full = { ...deps, now: deps.now ?? (() => new Date()) };
  const outcomes = createOutcomes(full);
  const batch = createBatchRegistrar({ ...full, outcomes });
  const registrar = createRegistrar({ ...full, outcomes, batch });
  const approver = createApprover({ ...full, outcomes });
  const reversal = createReversal({ ...full, outcomes });
  const reconciler = createReconciler({ ...full, outcomes });

  /** Verify created enrollments: queue their registrations and jobs in the same transaction. */
  const paymentHooks: Pick<PaymentHooks, 'afterVerify'> = {
    afterVerify: async (trx, { enrollmentIds }) => {
      if (enrollmentIds.length) await queueRegistrations(trx, deps.jobs, { enrollmentIds });
    },
  };

  /** A webinar linked after students enrolled: register them too. */
  const onWebinarLinked = (trx: Tx, webinarId: number) => queueRegistrations(trx, deps.jobs, { webinarId }).then(() => undefined);

  /** An admin's retry of a failed registration, after fixing its cause. */
  async function retry(actorId: number, registrationId: number) {
    return deps.db.transaction().execute(async (trx) => {
      const row = await trx.selectFrom('zoom_webinar_registrations').select(['id', 'status']).where('id', '=', registrationId).forUpdate().executeTakeFirst();
      if (!row) throw notFound('Registration');
      if (row.status !== 'failed') throw new AppError('conflict', `Only a failed registration can be retried; this one is ${row.status}`);
      // A registrant Zoom already has goes straight to approval; anything else is added again.
      await trx
        .updateTable('zoom_webinar_registrations')
        .set((eb) => ({ status: eb.case().when('zoom_registrant_id', 'is not', null).then('pending' as const).else('queued' as const).end(), failure_code: null, next_attempt_at: null, updated_at: full.now() }))
        .where('id', '=', registrationId)
        .execute();
      const updated = await trx.selectFrom('zoom_webinar_registrations').selectAll().where('id', '=', registrationId).executeTakeFirstOrThrow();
      if (updated.status === 'pending') await outcomes.scheduleApproval(trx, updated.webinar_id);
      else await deps.jobs.send(trx, 'registration.register', { registrationId });
      await recordAudit(trx, { actorId, action: 'registration.retry', entityType: 'registration', entityId: registrationId });
      return updated;
    });
  }

  return { outcomes, registrar, batch, approver, reversal, reconciler, paymentHooks, onWebinarLinked, retry };
}

export type Pipeline = ReturnType<typeof createPipeline>;
