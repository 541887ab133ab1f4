import type { ZoomRegistrant, ZoomRegistrantCreated, ZoomWebinar, ZoomWebinarSummary } from '../types.js';
import type { RegistrantRecord, WebinarRecord } from './types.js';

/**
 * Records → Zoom's JSON. URLs are built at presentation time from the simulator's base URL, so a
 * registrant created before `listen()` (app.inject) still gets a join URL on the listening port.
 */
export class Presenter {
  constructor(private readonly base: () => string) {}

  /** Per-registrant join link, `…/w/{webinarId}?tk={token}` like Zoom's (FACTS §7 #10). */
  joinUrl(r: RegistrantRecord): string {
    return `${this.base()}/w/${r.webinarId}?tk=${r.token}`;
  }

  /** The webinar's registration page (the 2026 `share_url`, FACTS §1.2); not served by the simulator. */
  shareUrl(w: WebinarRecord): string {
    return `${this.base()}/webinar/register/${w.id}`;
  }

  /**
   * GET /webinars/{id} and the 201 of POST /users/{userId}/webinars. The host's start_url appears
   * here and nowhere else.
   */
  webinar(w: WebinarRecord): ZoomWebinar & { registration_url?: string } {
    return {
      ...this.summary(w, false),
      host_email: w.host.email,
      start_url: `${this.base()}/s/${w.id}?zak=${w.startToken}`,
      ...(w.occurrences.length > 0 ? { occurrences: w.occurrences } : {}),
      ...(w.approvalType !== 2 ? { registration_url: this.shareUrl(w) } : {}),
      settings: {
        approval_type: w.approvalType,
        registration_type: w.registrationType,
        registrants_restrict_number: w.capacity,
        registrants_email_notification: true,
        registrants_confirmation_email: true,
      },
    };
  }

  /** An item of GET /users/{userId}/webinars: agenda truncated to 250 characters (FACTS §7 #17). */
  summary(w: WebinarRecord, truncateAgenda = true): ZoomWebinarSummary {
    return {
      id: w.id,
      uuid: w.uuid,
      host_id: w.host.id,
      topic: w.topic,
      type: w.type,
      ...(w.startTime !== undefined ? { start_time: w.startTime } : {}),
      duration: w.duration,
      timezone: w.timezone,
      agenda: truncateAgenda ? w.agenda.slice(0, 250) : w.agenda,
      created_at: w.createdAt,
      join_url: `${this.base()}/w/${w.id}`,
    };
  }

  registrant(r: RegistrantRecord): ZoomRegistrant {
    return {
      id: r.id,
      email: r.email,
      first_name: r.first_name,
      last_name: '',
      ...r.fields,
      custom_questions: r.custom_questions,
      status: r.status,
      create_time: r.createTime,
      join_url: this.joinUrl(r),
      ...(r.language !== undefined ? { language: r.language } : {}),
    };
  }

  /** 201 of POST …/registrants (FACTS §2.1 plus `status`, `share_url` of §1.2). */
  created(w: WebinarRecord, r: RegistrantRecord): ZoomRegistrantCreated {
    const occurrences = w.occurrences.filter((o) => r.occurrenceIds.includes(o.occurrence_id));
    return {
      id: w.id,
      registrant_id: r.id,
      join_url: this.joinUrl(r),
      topic: w.topic,
      ...(w.startTime !== undefined ? { start_time: w.startTime } : {}),
      ...(occurrences.length > 0 ? { occurrences } : {}),
      status: r.status,
      share_url: this.shareUrl(w),
    };
  }
}
