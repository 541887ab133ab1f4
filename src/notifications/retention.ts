import { sql } from 'kysely';
import type { Db } from '../db/database.js';

const BATCH = 5_000;

/** Deletes read notifications older than the retention age, in batches so no lock is held long. */
export function createRetention({ db }: { db: Db }) {
  async function deleteOldRead(days: number): Promise<number> {
    const cutoff = new Date(Date.now() - days * 86_400_000);
    let total = 0;
    for (;;) {
      const result = await sql<{ id: number }>`
        delete from notifications where id in (
          select id from notifications where read_at is not null and read_at < ${cutoff} limit ${BATCH})
        returning id`.execute(db);
      total += result.rows.length;
      if (result.rows.length < BATCH) return total;
    }
  }
  return { deleteOldRead };
}
