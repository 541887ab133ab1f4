import type { Db, Queryable } from '../db/database.js';
import type { DeliveryStatus } from '../db/schema.js';
import type { JobQueue } from '../jobs/queue.js';
import { AppError, notFound } from '../http/errors.js';
import { recordAudit } from '../audit/audit.js';

export type DeliveriesService = ReturnType<typeof createDeliveriesService>;

/** The email delivery log for admins, and the retry of a failed delivery. */
export function createDeliveriesService({ db, jobs }: { db: Db; jobs: JobQueue }) {
  const base = (q: Queryable = db) =>
    q
      .selectFrom('notification_deliveries as d')
      .innerJoin('notifications as n', 'n.id', 'd.notification_id')
      .select(['d.id', 'd.notification_id', 'd.channel', 'd.recipient', 'd.status', 'd.attempts', 'd.last_error', 'd.sent_at', 'd.created_at', 'd.updated_at', 'n.type', 'n.title', 'n.user_id']);

  const present = (r: Awaited<ReturnType<ReturnType<typeof base>['executeTakeFirstOrThrow']>>) => ({
    ...r,
    sent_at: r.sent_at?.toISOString() ?? null,
    created_at: r.created_at.toISOString(),
    updated_at: r.updated_at.toISOString(),
  });

  async function list(filter: { status?: DeliveryStatus; limit: number; offset: number }) {
    let query = base();
    let counter = db.selectFrom('notification_deliveries');
    if (filter.status) {
      query = query.where('d.status', '=', filter.status);
      counter = counter.where('status', '=', filter.status);
    }
    const [rows, total] = await Promise.all([
      query.orderBy('d.id', 'desc').limit(filter.limit).offset(filter.offset).execute(),
      counter.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    ]);
    return { rows: rows.map(present), count: Number(total.n) };
  }

  async function retry(actorId: number, id: number) {
    const row = await db.transaction().execute(async (trx) => {
      const current = await trx.selectFrom('notification_deliveries').select('status').where('id', '=', id).forUpdate().executeTakeFirst();
      if (!current) throw notFound('Delivery');
      if (current.status !== 'failed') throw new AppError('conflict', `Only a failed delivery can be retried; this one is ${current.status}`);
      await trx.updateTable('notification_deliveries').set({ status: 'queued', updated_at: new Date() }).where('id', '=', id).execute();
      await jobs.send(trx, 'notification.email', { deliveryId: id });
      await recordAudit(trx, { actorId, action: 'notification.delivery_retry', entityType: 'notification_delivery', entityId: id });
      return base(trx).where('d.id', '=', id).executeTakeFirstOrThrow();
    });
    return present(row);
  }

  return { list, retry };
}
