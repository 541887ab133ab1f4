import type { Logger } from 'pino';
import type { Db, Tx } from '../../db/database.js';
import type { RegistrationStatus } from '../../db/schema.js';
import type { ZoomWebhookEvent } from '../types.js';

const MAX_ATTEMPTS = 10;

/** Registration status each event leads to, and the statuses it may not overwrite. */
const TRANSITIONS: Record<string, { to: RegistrationStatus | 'from_payload'; keep: RegistrationStatus[] }> = {
  'webinar.registration_created': { to: 'from_payload', keep: ['approved', 'denied', 'cancelled'] },
  'webinar.registration_approved': { to: 'approved', keep: [] },
  'webinar.registration_denied': { to: 'denied', keep: [] },
  // Zoom sends this both for a self-cancel and an admin cancel (FACTS §5.2); either way the seat is gone.
  'webinar.registration_cancelled': { to: 'cancelled', keep: [] },
};

type OnApproved = (trx: Tx, registrationIds: number[]) => Promise<void>;

async function applyRegistrationEvent(trx: Tx, event: ZoomWebhookEvent, onApproved: OnApproved): Promise<string> {
  const object = event.payload.object;
  const registrant = object?.registrant;
  if (!object?.id || !registrant) return 'ignored: no webinar or registrant in payload';
  const webinar = await trx.selectFrom('webinars').select('id').where('zoom_webinar_id', '=', String(object.id)).executeTakeFirst();
  if (!webinar) return `ignored: webinar ${object.id} is not linked`;
  const row =
    (await trx.selectFrom('zoom_webinar_registrations').selectAll().where('webinar_id', '=', webinar.id).where('zoom_registrant_id', '=', registrant.id).executeTakeFirst()) ??
    (await trx
      .selectFrom('zoom_webinar_registrations')
      .selectAll()
      .where('webinar_id', '=', webinar.id)
      .where((eb) => eb(eb.fn('lower', ['email']), '=', registrant.email.toLowerCase()))
      .executeTakeFirst());
  if (!row) return `ignored: registrant ${registrant.email} is not one of our students`;

  const rule = TRANSITIONS[event.event]!;
  // A queued row belongs to the register job, which records the add and sends the notices; a
  // webhook that overtakes the job's own answer only teaches it the registrant.
  if (row.status === 'queued') {
    await trx
      .updateTable('zoom_webinar_registrations')
      .set({ zoom_registrant_id: row.zoom_registrant_id ?? registrant.id, join_url: row.join_url ?? registrant.join_url ?? null, updated_at: new Date() })
      .where('id', '=', row.id)
      .execute();
    return `registration ${row.id}: queued, registrant learned`;
  }
  const target: RegistrationStatus = rule.to === 'from_payload' ? (registrant.status === 'approved' ? 'approved' : 'pending') : rule.to;
  if (rule.keep.includes(row.status) || row.status === target) {
    // Still learn the registrant id and link if we lacked them (e.g. our add timed out).
    if (!row.zoom_registrant_id || (!row.join_url && registrant.join_url)) {
      await trx
        .updateTable('zoom_webinar_registrations')
        .set({ zoom_registrant_id: row.zoom_registrant_id ?? registrant.id, join_url: row.join_url ?? registrant.join_url ?? null, updated_at: new Date() })
        .where('id', '=', row.id)
        .execute();
    }
    return `registration ${row.id}: stays ${row.status}`;
  }
  if (target === 'approved') {
    // Through the pipeline's own path, so the student gets the approval notice with the link.
    await trx.updateTable('zoom_webinar_registrations').set({ status: 'pending', zoom_registrant_id: row.zoom_registrant_id ?? registrant.id, join_url: registrant.join_url ?? row.join_url, updated_at: new Date() }).where('id', '=', row.id).execute();
    await onApproved(trx, [row.id]);
    return `registration ${row.id}: ${row.status} → approved`;
  }
  await trx
    .updateTable('zoom_webinar_registrations')
    .set({ status: target, zoom_registrant_id: row.zoom_registrant_id ?? registrant.id, join_url: registrant.join_url ?? row.join_url, last_error: null, updated_at: new Date() })
    .where('id', '=', row.id)
    .execute();
  return `registration ${row.id}: ${row.status} → ${target}`;
}

async function applyWebinarEvent(trx: Tx, event: ZoomWebhookEvent): Promise<string> {
  const object = event.payload.object;
  if (!object?.id) return 'ignored: no webinar in payload';
  const zoomId = String(object.id);
  if (event.event === 'webinar.deleted') {
    const done = await trx.updateTable('webinars').set({ deleted_in_zoom_at: new Date(), updated_at: new Date() }).where('zoom_webinar_id', '=', zoomId).returning('id').execute();
    return done.length ? `webinar ${done[0]!.id} deleted in Zoom` : `ignored: webinar ${zoomId} is not linked`;
  }
  // webinar.updated carries only the fields that changed.
  const changes: Record<string, unknown> = {};
  if (typeof object.topic === 'string') changes.topic = object.topic;
  if (typeof object.start_time === 'string') changes.start_time = object.start_time;
  if (typeof object.duration === 'number') changes.duration_minutes = object.duration;
  if (typeof object.timezone === 'string') changes.timezone = object.timezone;
  if (Object.keys(changes).length === 0) return 'ignored: nothing we keep changed';
  const done = await trx.updateTable('webinars').set({ ...changes, updated_at: new Date() }).where('zoom_webinar_id', '=', zoomId).returning('id').execute();
  return done.length ? `webinar ${done[0]!.id} updated: ${Object.keys(changes).join(', ')}` : `ignored: webinar ${zoomId} is not linked`;
}

export type WebhookProcessor = ReturnType<typeof createWebhookProcessor>;

/**
 * Applies stored webhook events to our rows, one event per transaction, oldest first. Rows are
 * claimed with SKIP LOCKED so several processes can share the work; a failing event is retried
 * on later passes and parked after MAX_ATTEMPTS with its error visible.
 */
export function createWebhookProcessor({ db, logger, onApproved }: { db: Db; logger: Logger; onApproved: OnApproved }) {
  let running: Promise<number> | undefined;
  let again = false;

  async function processOne(): Promise<boolean> {
    let claimedId: number | undefined;
    try {
      return await db.transaction().execute(async (trx) => {
        const row = await trx
          .selectFrom('zoom_webhook_events')
          .selectAll()
          .where('processed_at', 'is', null)
          .where('attempts', '<', MAX_ATTEMPTS)
          .orderBy('id')
          .limit(1)
          .forUpdate()
          .skipLocked()
          .executeTakeFirst();
        if (!row) return false;
        claimedId = row.id;
        const event = row.payload as unknown as ZoomWebhookEvent;
        const outcome = event.event in TRANSITIONS ? await applyRegistrationEvent(trx, event, onApproved) : await applyWebhookOther(trx, event);
        await trx.updateTable('zoom_webhook_events').set({ processed_at: new Date(), outcome, attempts: row.attempts + 1, last_error: null }).where('id', '=', row.id).execute();
        logger.info({ webhookEventId: row.id, event: event.event, outcome }, 'zoom webhook applied');
        return true;
      });
    } catch (err) {
      if (claimedId === undefined) throw err;
      logger.error({ err, webhookEventId: claimedId }, 'zoom webhook could not be applied');
      await db
        .updateTable('zoom_webhook_events')
        .set((eb) => ({ attempts: eb('attempts', '+', 1), last_error: (err as Error).message }))
        .where('id', '=', claimedId)
        .execute();
      return true;
    }
  }

  async function applyWebhookOther(trx: Tx, event: ZoomWebhookEvent) {
    return event.event === 'webinar.updated' || event.event === 'webinar.deleted' ? applyWebinarEvent(trx, event) : `ignored: ${event.event} is not used`;
  }

  /** Processes every pending event; resolves with how many were handled. */
  async function processPending(): Promise<number> {
    let handled = 0;
    while (await processOne()) handled++;
    return handled;
  }

  /** Schedules a pass soon; passes never overlap within this process. */
  function kick(): void {
    if (running) {
      again = true;
      return;
    }
    running = processPending()
      .catch((err: unknown) => {
        logger.error({ err }, 'zoom webhook pass failed');
        return 0;
      })
      .finally(() => {
        running = undefined;
        if (again) {
          again = false;
          kick();
        }
      });
  }

  return { processPending, kick, idle: async () => void (await running) };
}
