import type { Queryable } from '../db/database.js';
import type { NotificationRow } from '../db/schema.js';
import type { JobQueue } from '../jobs/queue.js';
import { composeMessage, defaultActionUrl } from './messages.js';
import { channelsFor } from './preferences.js';
import { signalInboxChange } from './signal.js';
import { NOTIFICATION_TYPES, type NotificationData, type NotificationType } from './types.js';

export interface NotifyInput<T extends NotificationType> {
  userId: number;
  type: T;
  data: NotificationData[T];
  /** Derived from the domain event (e.g. `enrollment:42:confirmed`): one event, one notification. */
  dedupeKey: string;
  title?: string;
  message?: string;
  actionUrl?: string | null;
}

export type Notifier = ReturnType<typeof createNotifier>;

/**
 * The one way to notify. Called inside the caller's transaction: the in-app row, the email
 * delivery row and its durable job all commit with the event that caused them — or not at all.
 * The same dedupe key twice gives one notification and one email. Live tabs hear of it through
 * NOTIFY, which PostgreSQL delivers on commit.
 */
export function createNotifier({ jobs }: { jobs: JobQueue }) {
  async function notify<T extends NotificationType>(trx: Queryable, input: NotifyInput<T>): Promise<NotificationRow | null> {
    const channels = await channelsFor(trx, input.userId, input.type);
    const row = await trx
      .insertInto('notifications')
      .values({
        user_id: input.userId,
        type: input.type,
        title: input.title ?? NOTIFICATION_TYPES[input.type].title,
        message: input.message ?? composeMessage(input.type, input.data),
        data: JSON.stringify(input.data),
        dedupe_key: input.dedupeKey,
        in_app: channels.in_app,
        action_url: input.actionUrl === undefined ? defaultActionUrl(input.type, input.data) : input.actionUrl,
      })
      .onConflict((oc) => oc.column('dedupe_key').doNothing())
      .returningAll()
      .executeTakeFirst();
    if (!row) return null;

    if (channels.email) {
      const user = await trx.selectFrom('users').select('email').where('id', '=', input.userId).executeTakeFirstOrThrow();
      const delivery = await trx
        .insertInto('notification_deliveries')
        .values({ notification_id: row.id, channel: 'email', recipient: user.email })
        .returning('id')
        .executeTakeFirstOrThrow();
      await jobs.send(trx, 'notification.email', { deliveryId: delivery.id });
    }
    if (channels.in_app) await signalInboxChange(trx, [input.userId]);
    return row;
  }

  return { notify };
}
