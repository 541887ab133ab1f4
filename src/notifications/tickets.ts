import { createHash, randomBytes } from 'node:crypto';
import type { Db } from '../db/database.js';
import { AppError } from '../http/errors.js';

const TTL_MS = 60_000;
const hash = (ticket: string) => createHash('sha256').update(ticket).digest('hex');

/**
 * Single-use tickets for the live stream: the browser's EventSource cannot send an Authorization
 * header, and a long-lived token must never sit in a URL (or in the access logs that keep URLs).
 * Only a hash is stored; using a ticket and checking it are one UPDATE, so it works once.
 */
export function createStreamTickets({ db }: { db: Db }) {
  async function issue(userId: number): Promise<{ ticket: string; expires_at: string }> {
    const ticket = randomBytes(32).toString('base64url');
    const expiresAt = new Date(Date.now() + TTL_MS);
    await db.insertInto('stream_tickets').values({ ticket_hash: hash(ticket), user_id: userId, expires_at: expiresAt }).execute();
    // Housekeeping: tickets are useless a minute after issue.
    await db.deleteFrom('stream_tickets').where('expires_at', '<', new Date(Date.now() - 3600_000)).execute();
    return { ticket, expires_at: expiresAt.toISOString() };
  }

  async function redeem(ticket: string): Promise<number> {
    const row = await db
      .updateTable('stream_tickets')
      .set({ used_at: new Date() })
      .where('ticket_hash', '=', hash(ticket))
      .where('used_at', 'is', null)
      .where('expires_at', '>', new Date())
      .returning('user_id')
      .executeTakeFirst();
    if (!row) throw new AppError('token_invalid', 'The stream ticket is unknown, expired or already used; ask for a new one');
    return row.user_id;
  }

  return { issue, redeem };
}

export type StreamTickets = ReturnType<typeof createStreamTickets>;
