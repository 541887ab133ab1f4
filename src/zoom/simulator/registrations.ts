import { randomBytes } from 'node:crypto';
import { REGISTRANT_DAILY_LIMITS, type ZoomBatchInput, type ZoomRegistrantInput, type ZoomStatusAction } from '../types.js';
import * as E from './errors.js';
import type { RegistrationEventName, RegistrationEventSink } from './events.js';
import { nextUtcMidnight, type DailyCounters } from './rate-limits.js';
import { checkIdentity, checkRegistrant, type CleanRegistrant } from './registrant-validation.js';
import { DEFAULT_HOST, isoSeconds, opaqueId, type SimStore } from './store.js';
import type { RegistrantRecord, SimUser, WebinarRecord } from './types.js';

/** Where a registration request came from: the API counts toward per-registrant daily limits. */
export interface Origin {
  viaApi: boolean;
  /** Who acts, for the webhook's operator (FACTS §5.2); the API acts as the account owner. */
  operator?: SimUser;
}

const STATUS_EVENTS: Record<ZoomStatusAction, RegistrationEventName> = {
  approve: 'webinar.registration_approved',
  deny: 'webinar.registration_denied',
  cancel: 'webinar.registration_cancelled',
};

/**
 * The registrant state machine (FACTS §7, §8): add (pending or approved by approval_type),
 * duplicates return the same registrant, denied emails stay blocked, status actions
 * approve (pending → approved), deny (pending → denied), cancel (approved → denied), capacity,
 * and the per-registrant UTC-day limits. Every operation checks everything before changing
 * anything, so an error (429 included) leaves the state as it was.
 */
export class Registrations {
  constructor(
    private readonly store: SimStore,
    private readonly counters: DailyCounters,
    private readonly emit: RegistrationEventSink,
  ) {}

  add(webinarId: string, input: Partial<ZoomRegistrantInput>, occurrenceIds: string | undefined, origin: Origin): { webinar: WebinarRecord; registrant: RegistrantRecord } {
    const webinar = this.store.webinar(webinarId);
    this.checkOpen(webinar, E.registrationNotEnabled);
    const occurrences = this.resolveOccurrences(webinar, occurrenceIds);
    const { errors, clean } = checkRegistrant(input, webinar.questions);
    if (errors.length > 0) throw E.validationFailed(errors);
    this.checkNotHost(webinar, [clean.email]);
    if (origin.viaApi) this.takeDaily('add', 'light', webinar, [clean.email]);

    const existing = this.store.registrant(webinar, { email: clean.email });
    if (existing) {
      // Duplicate add returns the same registrant and join URL (FACTS §7 #4) — unless it was denied.
      if (existing.status === 'denied') throw E.deniedEmail(clean.email);
      existing.occurrenceIds = [...new Set([...existing.occurrenceIds, ...occurrences])];
      return { webinar, registrant: existing };
    }
    if (webinar.capacity > 0 && approvedCount(webinar) >= webinar.capacity) throw E.attendeeLimit();
    const registrant = this.insert(webinar, clean, webinar.approvalType === 0 ? 'approved' : 'pending', occurrences);
    this.emit('webinar.registration_created', webinar, registrant);
    return { webinar, registrant };
  }

  /** POST …/batch_registrants (FACTS §2.2): type 5 only, name + email, ≤ 30 (checked by the route schema). */
  batch(webinarId: string, body: ZoomBatchInput): { webinar: WebinarRecord; registrants: RegistrantRecord[] } {
    const webinar = this.store.webinar(webinarId, E.batchWebinarNotFound);
    if (webinar.type !== 5) throw E.batchTypeOnly();
    this.checkOpen(webinar, E.batchRegistrationNotEnabled);
    const errors = body.registrants.flatMap((r, i) => checkIdentity(r, `registrants[${i}].`));
    if (errors.length > 0) throw E.validationFailed(errors);
    const emails = body.registrants.map((r) => r.email.trim());
    this.checkNotHost(webinar, emails);
    this.takeDaily('batch', 'heavy', webinar, emails);

    const denied = emails.find((email) => this.store.registrant(webinar, { email })?.status === 'denied');
    if (denied !== undefined) throw E.deniedEmail(denied);
    // auto_approve only matters on a manual-approval webinar (FACTS §2.2).
    const approve = webinar.approvalType === 0 || body.auto_approve === true;
    const fresh = new Map<string, ZoomBatchInput['registrants'][number]>();
    for (const r of body.registrants) {
      const key = r.email.trim().toLowerCase();
      if (!this.store.registrant(webinar, { email: r.email.trim() }) && !fresh.has(key)) fresh.set(key, r);
    }
    const pendingToApprove = new Set(
      approve ? emails.map((email) => this.store.registrant(webinar, { email })).filter((r): r is RegistrantRecord => r?.status === 'pending') : [],
    );
    const becomingApproved = approve ? fresh.size + pendingToApprove.size : 0;
    if (webinar.capacity > 0 && (approvedCount(webinar) >= webinar.capacity || approvedCount(webinar) + becomingApproved > webinar.capacity)) {
      throw E.capacityOnBatch();
    }

    for (const r of pendingToApprove) {
      r.status = 'approved';
      this.emit('webinar.registration_approved', webinar, r, DEFAULT_HOST);
    }
    for (const r of fresh.values()) {
      const clean: CleanRegistrant = { email: r.email.trim(), first_name: r.first_name.trim(), fields: r.last_name ? { last_name: r.last_name } : {}, custom_questions: [] };
      const registrant = this.insert(webinar, clean, approve ? 'approved' : 'pending', []);
      this.emit('webinar.registration_created', webinar, registrant);
    }
    const registrants = emails.map((email) => this.store.registrant(webinar, { email })).filter((r): r is RegistrantRecord => r !== undefined);
    return { webinar, registrants };
  }

  /**
   * PUT …/registrants/status (FACTS §2.4). Unknown ids/emails are ignored; a registrant not in the
   * action's source state is left as it is (no event). Each named registrant uses one of its 10
   * daily status requests when the call comes through the API.
   */
  updateStatus(webinarId: string, action: ZoomStatusAction, refs: Array<{ id?: string; email?: string }>, origin: Origin): RegistrantRecord[] {
    const webinar = this.store.webinar(webinarId);
    const found = [...new Set(refs.map((ref) => this.store.registrant(webinar, ref)).filter((r): r is RegistrantRecord => r !== undefined))];
    if (origin.viaApi && found.length > 0) {
      const keys = found.map((r) => `status|${webinar.id}|${r.id}`);
      const taken = this.counters.tryTake(keys, REGISTRANT_DAILY_LIMITS.status);
      if (!taken.ok) {
        const who = found[keys.indexOf(taken.key)]?.email ?? '';
        throw E.registrantDailyLimit('status', 'medium', REGISTRANT_DAILY_LIMITS.status, who, nextUtcMidnight(this.store.now()));
      }
    }
    const from = action === 'cancel' ? 'approved' : 'pending';
    const changing = found.filter((r) => r.status === from);
    if (action === 'approve' && webinar.capacity > 0 && approvedCount(webinar) + changing.length > webinar.capacity) throw E.capacityOnApprove();
    for (const r of changing) {
      r.status = action === 'approve' ? 'approved' : 'denied';
      this.emit(STATUS_EVENTS[action], webinar, r, origin.operator ?? DEFAULT_HOST);
    }
    return changing;
  }

  /** DELETE …/registrants/{id} (FACTS §2.6): removes the registrant, which frees the email. */
  delete(webinarId: string, registrantId: string): void {
    const webinar = this.store.webinar(webinarId);
    const registrant = webinar.registrants.get(registrantId);
    if (!registrant) throw E.registrantNotFoundOnDelete(registrantId);
    webinar.registrants.delete(registrantId);
    webinar.byEmail.delete(registrant.email.toLowerCase());
  }

  private checkOpen(webinar: WebinarRecord, notEnabled: (id: string) => E.SimulatedZoomError): void {
    if (webinar.approvalType === 2) throw notEnabled(String(webinar.id));
    if (this.store.isOver(webinar)) throw E.webinarOver();
  }

  private checkNotHost(webinar: WebinarRecord, emails: string[]): void {
    if (emails.some((email) => email.toLowerCase() === webinar.host.email.toLowerCase())) throw E.hostCannotRegister();
  }

  /** 3 add requests per (webinar, email) per UTC day, single and batch together (FACTS §3.2). */
  private takeDaily(api: 'add' | 'batch', label: 'light' | 'heavy', webinar: WebinarRecord, emails: string[]): void {
    const keys = emails.map((email) => `add|${webinar.id}|${email.toLowerCase()}`);
    const taken = this.counters.tryTake(keys, REGISTRANT_DAILY_LIMITS.add);
    if (taken.ok) return;
    const email = emails[keys.indexOf(taken.key)] ?? '';
    throw E.registrantDailyLimit(api, label, REGISTRANT_DAILY_LIMITS.add, email, nextUtcMidnight(this.store.now()));
  }

  /**
   * occurrence_ids (FACTS §2.1): only for a recurring webinar with fixed time (type 9), each id must
   * exist, and several at once need registration_type 3. Without it a type-9 registrant attends all.
   */
  private resolveOccurrences(webinar: WebinarRecord, param: string | undefined): string[] {
    const known = webinar.occurrences.map((o) => o.occurrence_id);
    const ids = (param ?? '').split(',').map((s) => s.trim()).filter((s) => s !== '');
    if (ids.length === 0) return webinar.type === 9 ? known : [];
    if (webinar.type !== 9 || ids.some((id) => !known.includes(id))) throw E.invalidOccurrenceIds();
    if (ids.length > 1 && webinar.registrationType !== 3) throw E.invalidOccurrenceIds();
    return [...new Set(ids)];
  }

  private insert(webinar: WebinarRecord, clean: CleanRegistrant, status: RegistrantRecord['status'], occurrenceIds: string[]): RegistrantRecord {
    const registrant: RegistrantRecord = {
      id: opaqueId(),
      webinarId: webinar.id,
      email: clean.email,
      first_name: clean.first_name,
      fields: clean.fields,
      custom_questions: clean.custom_questions,
      ...(clean.language !== undefined ? { language: clean.language } : {}),
      status,
      createTime: isoSeconds(this.store.now()),
      token: randomBytes(24).toString('base64url'),
      occurrenceIds,
    };
    webinar.registrants.set(registrant.id, registrant);
    webinar.byEmail.set(registrant.email.toLowerCase(), registrant.id);
    return registrant;
  }
}

/** Capacity counts approved registrants: pending ones can exist beyond it, approving them cannot (3035). */
function approvedCount(webinar: WebinarRecord): number {
  let n = 0;
  for (const r of webinar.registrants.values()) if (r.status === 'approved') n++;
  return n;
}
