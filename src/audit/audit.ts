import type { Queryable } from '../db/database.js';

export interface AuditEntry {
  actorId: number | null;
  action: string;
  entityType: string;
  entityId: number | string;
  details?: Record<string, unknown>;
}

/** Written in the caller's transaction: an admin action and its audit entry commit together. */
export async function recordAudit(db: Queryable, entry: AuditEntry): Promise<void> {
  await db
    .insertInto('audit_log')
    .values({
      actor_id: entry.actorId,
      action: entry.action,
      entity_type: entry.entityType,
      entity_id: String(entry.entityId),
      details: JSON.stringify(entry.details ?? {}),
    })
    .execute();
}
