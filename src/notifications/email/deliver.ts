import { sql } from 'kysely';
import type { Logger } from 'pino';
import type { Db } from '../../db/database.js';
import type { DeliveryStatus } from '../../db/schema.js';
import { isEssential } from '../types.js';
import type { Mailer } from './mailer.js';
import { renderEmail } from './templates.js';

export type DeliveryOutcome = 'sent' | 'skipped' | 'already-sent' | 'missing';

export interface EmailDeliverer {
  /**
   * Sends one delivery's email, at most once however often it is called. Throws when rendering or
   * sending fails (after recording why), so that the job is retried; `final` says it will not be.
   */
  deliver(deliveryId: number, attempt: { final: boolean }): Promise<DeliveryOutcome>;
}

export interface EmailDelivererDeps {
  db: Db;
  mailer: Mailer;
  logger: Logger;
  publicUrl: string;
}

/**
 * A 'sending' row older than this belongs to a run that died (the process was killed mid-send) and
 * may be taken over; a younger one is another run of the same job still at work (pg-boss retries
 * a job whose run outlived its 120 s expiry). Longer than that expiry plus the mailer's bounded
 * SMTP waits, so two runs never send the same email side by side.
 */
const SENDING_LEASE = sql<string>`interval '3 minutes'`;
const MAX_ERROR_LENGTH = 1000;

/** Thrown when another run is sending this delivery right now: the job is retried later. */
export class DeliveryBusyError extends Error {
  constructor(readonly deliveryId: number) {
    super(`notification delivery ${deliveryId} is being sent by another run`);
    this.name = 'DeliveryBusyError';
  }
}

/** An error as it may be stored and logged: its message, credentials of a URL in it blanked, bounded. */
export function describeError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.replace(/\/\/[^\s/@]*:[^\s/@]*@/g, '//[redacted]@').slice(0, MAX_ERROR_LENGTH) || 'unknown error';
}

export function createEmailDeliverer({ db, mailer, logger, publicUrl }: EmailDelivererDeps): EmailDeliverer {
  const load = (deliveryId: number) =>
    db
      .selectFrom('notification_deliveries as d')
      .innerJoin('notifications as n', 'n.id', 'd.notification_id')
      .innerJoin('users as u', 'u.id', 'n.user_id')
      .selectAll('n')
      .select(['d.status as delivery_status', 'd.recipient', 'u.first_name', 'u.last_name', 'u.email'])
      .where('d.id', '=', deliveryId)
      .executeTakeFirst();

  /** Every status change below is guarded: a delivery that reached 'sent' never leaves it. */
  const update = (deliveryId: number) => db.updateTable('notification_deliveries').where('id', '=', deliveryId).where('status', '!=', 'sent');

  /** What a finished delivery answers when asked again. */
  const settled = (status: DeliveryStatus | undefined): DeliveryOutcome | null =>
    status === undefined ? 'missing' : status === 'sent' ? 'already-sent' : status === 'skipped' ? 'skipped' : null;

  return {
    async deliver(deliveryId, attempt) {
      const row = await load(deliveryId);
      const done = settled(row?.delivery_status);
      if (done || !row) return done ?? 'missing';
      const { delivery_status: _status, recipient, first_name, last_name, email, ...notification } = row;
      const log = { deliveryId, notificationId: notification.id, type: notification.type };

      // Read in the app already: the email would only repeat it. Essential ones (an approval's join
      // link, a payment outcome) are sent anyway, so the inbox is never the only copy.
      if (notification.read_at !== null && !isEssential(notification.type)) {
        await update(deliveryId).set({ status: 'skipped', last_error: null, updated_at: sql`now()` }).execute();
        logger.debug(log, 'notification email skipped: already read');
        return 'skipped';
      }

      // Claim it, in one statement: a run that lost a race to another one stops here.
      const claimed = await update(deliveryId)
        .where((eb) =>
          eb.or([eb('status', 'in', ['queued', 'failed']), eb.and([eb('status', '=', 'sending'), eb('updated_at', '<', sql<Date>`now() - ${SENDING_LEASE}`)])]),
        )
        .set({ status: 'sending', attempts: sql`attempts + 1`, updated_at: sql`now()` })
        .returning('attempts')
        .executeTakeFirst();
      if (!claimed) {
        const now = settled((await load(deliveryId))?.delivery_status);
        if (now) return now;
        throw new DeliveryBusyError(deliveryId);
      }

      let messageId: string;
      try {
        const rendered = renderEmail({ notification, user: { id: notification.user_id, first_name, last_name, email }, publicUrl });
        ({ messageId } = await mailer.send({
          to: recipient,
          subject: rendered.subject,
          text: rendered.text,
          html: rendered.html,
          ...(rendered.icalEvent ? { icalEvent: rendered.icalEvent } : {}),
          headers: { 'X-EduConnect-Notification': String(notification.id) },
        }));
      } catch (error) {
        const lastError = describeError(error);
        await update(deliveryId)
          .set({ status: attempt.final ? 'failed' : 'queued', last_error: lastError, updated_at: sql`now()` })
          .execute();
        logger.warn({ ...log, attempt: claimed.attempts, final: attempt.final, error: lastError }, 'notification email not sent');
        throw error;
      }

      // Outside the try: the email is out, so a failure here must not mark it failed (a retry may
      // then send it again; at-least-once is the guarantee SMTP allows).
      await update(deliveryId)
        .set({ status: 'sent', sent_at: sql`now()`, provider_message_id: messageId, last_error: null, updated_at: sql`now()` })
        .execute();
      logger.info({ ...log, attempt: claimed.attempts, messageId }, 'notification email sent');
      return 'sent';
    },
  };
}
