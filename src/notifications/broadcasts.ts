import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { recordAudit } from '../audit/audit.js';
import type { Db } from '../db/database.js';
import type { JobQueue } from '../jobs/queue.js';
import { notFound } from '../http/errors.js';
import { signalInboxChange } from './signal.js';
import type { Channel } from './types.js';

export interface BroadcastInput {
  classId?: number;
  title: string;
  message: string;
  channels: Channel[];
  /** The client's idempotency key: the same key twice is one broadcast. */
  idempotencyKey?: string;
}

export type BroadcastsService = ReturnType<typeof createBroadcastsService>;

/**
 * An announcement to everyone enrolled in a class, or to all students. Recipients, their
 * notifications and email deliveries are each one set-based statement, so 10,000 recipients cost
 * the same handful of round trips as ten; one job per email makes each delivery retryable alone.
 */
export function createBroadcastsService({ db, jobs }: { db: Db; jobs: JobQueue }) {
  async function broadcast(actorId: number, input: BroadcastInput) {
    if (input.classId !== undefined && !(await db.selectFrom('classes').select('id').where('id', '=', input.classId).executeTakeFirst())) throw notFound('Class');
    const key = input.idempotencyKey ?? randomUUID();
    return db.transaction().execute(async (trx) => {
      const created = await trx
        .insertInto('broadcasts')
        .values({ idempotency_key: key, actor_id: actorId, class_id: input.classId ?? null, title: input.title, message: input.message, channels: sql<string[]>`${sql.val(input.channels)}::text[]`, recipients: 0 })
        .onConflict((oc) => oc.column('idempotency_key').doNothing())
        .returningAll()
        .executeTakeFirst();
      if (!created) {
        const existing = await trx.selectFrom('broadcasts').selectAll().where('idempotency_key', '=', key).executeTakeFirstOrThrow();
        return { broadcast: existing, created: false, emails: 0 };
      }
      const inApp = input.channels.includes('in_app');
      const recipients = await sql<{ id: number; user_id: number; in_app: boolean }>`
        insert into notifications (user_id, type, title, message, data, dedupe_key, in_app, action_url)
        select u.id, 'announcement', ${input.title}, ${input.message},
               jsonb_build_object('broadcast_id', ${created.id}::bigint, 'class_id', ${input.classId ?? null}::integer),
               'broadcast:' || ${created.id}::text || ':' || u.id,
               ${inApp}::boolean and coalesce(p.enabled, true), null
        from users u
        left join notification_preferences p on p.user_id = u.id and p.type = 'announcement' and p.channel = 'in_app'
        where u.role = 'student' and u.is_active
          and (${input.classId ?? null}::integer is null or exists (
            select 1 from enrollments e where e.student_id = u.id and e.class_id = ${input.classId ?? null}::integer and e.status = 'active'))
        on conflict (dedupe_key) do nothing
        returning id, user_id, in_app`.execute(trx);

      let emails = 0;
      if (input.channels.includes('email') && recipients.rows.length) {
        const deliveries = await sql<{ id: number }>`
          insert into notification_deliveries (notification_id, channel, recipient)
          select n.id, 'email', u.email
          from notifications n
          join users u on u.id = n.user_id
          left join notification_preferences p on p.user_id = u.id and p.type = 'announcement' and p.channel = 'email'
          where n.id = any(${recipients.rows.map((r) => r.id)}::bigint[]) and coalesce(p.enabled, true)
          returning id`.execute(trx);
        await jobs.insert(trx, 'notification.email', deliveries.rows.map((d) => ({ data: { deliveryId: d.id } })));
        emails = deliveries.rows.length;
      }
      await signalInboxChange(trx, recipients.rows.filter((r) => r.in_app).map((r) => r.user_id));
      const broadcastRow = await trx.updateTable('broadcasts').set({ recipients: recipients.rows.length }).where('id', '=', created.id).returningAll().executeTakeFirstOrThrow();
      await recordAudit(trx, { actorId, action: 'notification.broadcast', entityType: 'broadcast', entityId: created.id, details: { class_id: input.classId ?? null, recipients: recipients.rows.length, emails } });
      return { broadcast: broadcastRow, created: true, emails };
    });
  }

  return { broadcast };
}
