import type { ZoomWebhookEvent } from '../types.js';
import type { Presenter } from './presenter.js';
import type { RegistrantRecord, SimUser, WebinarRecord } from './types.js';

export type RegistrationEventName =
  | 'webinar.registration_created'
  | 'webinar.registration_approved'
  | 'webinar.registration_denied'
  | 'webinar.registration_cancelled';

/** Called by the registration logic after a change has been applied. */
export type RegistrationEventSink = (event: RegistrationEventName, webinar: WebinarRecord, registrant: RegistrantRecord, operator?: SimUser) => void;

/**
 * The payload of a registration event (FACTS §5.2): account, the operator for host actions
 * (approve/deny/cancel), and the webinar with the registrant inside `object`.
 */
export function registrationPayload(
  presenter: Presenter,
  accountId: string,
  webinar: WebinarRecord,
  registrant: RegistrantRecord,
  operator?: SimUser,
): ZoomWebhookEvent['payload'] {
  const occurrences = webinar.occurrences
    .filter((o) => registrant.occurrenceIds.includes(o.occurrence_id))
    .map((o) => ({ occurrence_id: o.occurrence_id, start_time: o.start_time }));
  return {
    account_id: accountId,
    ...(operator ? { operator: operator.email, operator_id: operator.id } : {}),
    object: {
      id: webinar.id,
      uuid: webinar.uuid,
      host_id: webinar.host.id,
      topic: webinar.topic,
      type: webinar.type,
      ...(webinar.startTime !== undefined ? { start_time: webinar.startTime } : {}),
      duration: webinar.duration,
      timezone: webinar.timezone,
      ...(occurrences.length > 0 ? { occurrences } : {}),
      registrant: {
        id: registrant.id,
        email: registrant.email,
        first_name: registrant.first_name,
        last_name: registrant.fields.last_name ?? '',
        status: registrant.status,
        join_url: presenter.joinUrl(registrant),
      },
    },
  };
}
