import { sql } from 'kysely';
import type { Queryable } from '../db/database.js';

/** The PostgreSQL channel every process LISTENs on for inbox changes. */
export const INBOX_CHANNEL = 'educonnect_inbox';

/** NOTIFY payloads are capped at 8000 bytes; user ids go in chunks well below that. */
const IDS_PER_SIGNAL = 500;

/**
 * Tells every server process, through PostgreSQL NOTIFY, that these users' inboxes changed. Sent in
 * the caller's transaction, it is delivered only if and when that transaction commits.
 */
export async function signalInboxChange(db: Queryable, userIds: number[]): Promise<void> {
  const unique = [...new Set(userIds)];
  for (let i = 0; i < unique.length; i += IDS_PER_SIGNAL) {
    const payload = JSON.stringify({ u: unique.slice(i, i + IDS_PER_SIGNAL) });
    await sql`select pg_notify(${INBOX_CHANNEL}, ${payload})`.execute(db);
  }
}
