import { Type } from '@sinclair/typebox';
import type { Db } from '../db/database.js';
import type { NotificationRow } from '../db/schema.js';
import { AppError, notFound } from '../http/errors.js';
import { DateTime, Nullable } from '../http/schemas.js';
import { preview } from './messages.js';
import { signalInboxChange } from './signal.js';

export const NotificationSchema = Type.Object(
  {
    id: Type.Integer(),
    type: Type.String(),
    title: Type.String(),
    message: Type.String(),
    preview: Type.String(),
    is_read: Type.Boolean(),
    created_at: DateTime,
    data: Type.Record(Type.String(), Type.Unknown()),
    action_url: Nullable(Type.String()),
  },
  { $id: 'Notification' },
);

export const presentNotification = (n: NotificationRow) => ({
  id: n.id,
  type: n.type,
  title: n.title,
  message: n.message,
  preview: preview(n.message),
  is_read: n.read_at !== null,
  created_at: n.created_at.toISOString(),
  data: n.data,
  action_url: n.action_url,
});

/** Cursors are opaque to clients: the id to continue below, encoded. */
const encodeCursor = (id: number) => Buffer.from(`n:${id}`).toString('base64url');
function decodeCursor(cursor: string): number {
  const match = /^n:(\d{1,18})$/.exec(Buffer.from(cursor, 'base64url').toString());
  if (!match) throw new AppError('validation_failed', 'The cursor is not valid; use next_cursor from a previous page', [{ field: 'querystring.cursor', message: 'is not a cursor this API issued' }]);
  return Number(match[1]);
}

export type InboxService = ReturnType<typeof createInboxService>;

/**
 * A user's in-app notifications. Pages run newest first by id with a keyset cursor, so rows
 * inserted while someone pages (always newer, higher ids) never shift or repeat a page. The unread
 * count reads only the partial index of unread rows.
 */
export function createInboxService({ db }: { db: Db }) {
  const inbox = () => db.selectFrom('notifications').where('in_app', '=', true);

  async function unreadCount(userId: number): Promise<number> {
    const row = await inbox()
      .where('user_id', '=', userId)
      .where('read_at', 'is', null)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  async function list(userId: number, options: { cursor?: string; limit: number; unread?: boolean }) {
    let query = inbox().selectAll().where('user_id', '=', userId);
    if (options.cursor) query = query.where('id', '<', decodeCursor(options.cursor));
    if (options.unread) query = query.where('read_at', 'is', null);
    const rows = await query.orderBy('id', 'desc').limit(options.limit + 1).execute();
    const page = rows.slice(0, options.limit);
    return {
      notifications: page.map(presentNotification),
      unread_count: await unreadCount(userId),
      next_cursor: rows.length > options.limit ? encodeCursor(page.at(-1)!.id) : null,
    };
  }

  /** Notifications newer than `afterId`, oldest first (the live stream and its resume). */
  const since = (userId: number, afterId: number, limit = 100) =>
    inbox().selectAll().where('user_id', '=', userId).where('id', '>', afterId).orderBy('id', 'asc').limit(limit).execute();

  const latestId = async (userId: number) =>
    Number((await inbox().where('user_id', '=', userId).select((eb) => eb.fn.max('id').as('id')).executeTakeFirst())?.id ?? 0);

  async function setRead(userId: number, id: number, read: boolean) {
    const row = await db.transaction().execute(async (trx) => {
      const updated = await trx
        .updateTable('notifications')
        .set({ read_at: read ? new Date() : null })
        .where('id', '=', id)
        .where('user_id', '=', userId)
        .where('in_app', '=', true)
        // Reading twice keeps the first read time.
        .where((eb) => (read ? eb('read_at', 'is', null) : eb('read_at', 'is not', null)))
        .returningAll()
        .executeTakeFirst();
      if (updated) await signalInboxChange(trx, [userId]);
      return updated ?? (await trx.selectFrom('notifications').selectAll().where('id', '=', id).where('user_id', '=', userId).where('in_app', '=', true).executeTakeFirst());
    });
    if (!row) throw notFound('Notification');
    return { notification: presentNotification(row), unread_count: await unreadCount(userId) };
  }

  async function readAll(userId: number) {
    const updated = await db.transaction().execute(async (trx) => {
      const result = await trx.updateTable('notifications').set({ read_at: new Date() }).where('user_id', '=', userId).where('in_app', '=', true).where('read_at', 'is', null).executeTakeFirst();
      const count = Number(result.numUpdatedRows ?? 0n);
      if (count > 0) await signalInboxChange(trx, [userId]);
      return count;
    });
    return { marked_read: updated, unread_count: await unreadCount(userId) };
  }

  return { list, unreadCount, since, latestId, read: (u: number, id: number) => setRead(u, id, true), unread: (u: number, id: number) => setRead(u, id, false), readAll };
}
