import { randomBytes, randomInt } from 'node:crypto';
import { STANDARD_FIELDS, type ZoomOccurrence, type ZoomRegistrationQuestions } from '../types.js';
import { userNotFound, validationFailed, webinarNotFound, type FieldError } from './errors.js';
import type { RegistrantRecord, SimUser, SimWebinarInput, WebinarRecord } from './types.js';

export interface StoreSnapshot {
  version: 1;
  users: SimUser[];
  webinars: Array<Omit<WebinarRecord, 'registrants' | 'byEmail'> & { registrants: RegistrantRecord[] }>;
}

/** The account owner, which `me` names (FACTS §2.8) and which hosts webinars seeded without a host. */
export const DEFAULT_HOST: SimUser = { id: 'sim-host', email: 'host@zoom-simulator.test' };

/** ISO-8601 without milliseconds, the way Zoom writes date-times. */
export const isoSeconds = (date: Date): string => date.toISOString().replace(/\.\d{3}Z$/, 'Z');

/** Zoom-looking opaque ids (22 chars of base64url, like registrant ids in the spec examples). */
export const opaqueId = (): string => randomBytes(16).toString('base64url');

const safeDecode = (text: string) => {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
};

const CUSTOM_TYPES = ['short', 'single_radio', 'single_dropdown', 'multiple'];
const WEEK_MS = 7 * 24 * 60 * 60 * 1000;

/** Webinars, their registrants and the host users of the simulated account. */
export class SimStore {
  readonly webinars = new Map<number, WebinarRecord>();
  private readonly users = new Map<string, SimUser>([[DEFAULT_HOST.id, DEFAULT_HOST]]);

  constructor(readonly now: () => Date) {}

  reset(): void {
    this.webinars.clear();
    this.users.clear();
    this.users.set(DEFAULT_HOST.id, DEFAULT_HOST);
  }

  /** Webinars (with registrants) and users as plain JSON, for the state file. */
  snapshot(): StoreSnapshot {
    return {
      version: 1,
      users: [...this.users.values()],
      webinars: [...this.webinars.values()].map(({ registrants, byEmail: _byEmail, ...w }) => ({ ...w, registrants: [...registrants.values()] })),
    };
  }

  restore(snapshot: StoreSnapshot): void {
    this.reset();
    for (const user of snapshot.users) this.users.set(user.id, user);
    for (const { registrants, ...w } of snapshot.webinars) {
      const webinar: WebinarRecord = { ...w, registrants: new Map(registrants.map((r) => [r.id, r])), byEmail: new Map(registrants.map((r) => [r.email.toLowerCase(), r.id])) };
      this.webinars.set(webinar.id, webinar);
    }
  }

  /** `userId` may be an id, an email or `me` (FACTS §2.7, §2.8); unknown → 404 1001. */
  user(userId: string): SimUser {
    if (userId === 'me') return DEFAULT_HOST;
    const lower = userId.toLowerCase();
    for (const user of this.users.values()) {
      if (user.id === userId || user.email.toLowerCase() === lower) return user;
    }
    throw userNotFound(userId);
  }

  /**
   * By numeric id, or by UUID as GET /webinars/{webinarId} also allows (FACTS §2.7); a UUID with
   * '/' arrives double-encoded (FACTS §2.8), so one more decoding is tried.
   */
  webinar(idOrUuid: string, notFound = webinarNotFound): WebinarRecord {
    const byId = /^\d+$/.test(idOrUuid) ? this.webinars.get(Number(idOrUuid)) : undefined;
    const found = byId ?? [...this.webinars.values()].find((w) => w.uuid === idOrUuid || w.uuid === safeDecode(idOrUuid));
    if (!found) throw notFound(idOrUuid);
    return found;
  }

  registrant(webinar: WebinarRecord, idOrEmail: { id?: string; email?: string }): RegistrantRecord | undefined {
    if (idOrEmail.id !== undefined) return webinar.registrants.get(idOrEmail.id);
    const id = idOrEmail.email === undefined ? undefined : webinar.byEmail.get(idOrEmail.email.toLowerCase());
    return id === undefined ? undefined : webinar.registrants.get(id);
  }

  /** Type 5 ends at start + duration; type 9 after its last occurrence; type 6 never (FACTS §2.1 3038). */
  isOver(webinar: WebinarRecord): boolean {
    const now = this.now().getTime();
    const ends = (start: string | undefined, minutes: number) => (start === undefined ? Infinity : Date.parse(start) + minutes * 60_000);
    if (webinar.type === 6) return false;
    if (webinar.type === 9 && webinar.occurrences.length > 0) {
      return webinar.occurrences.every((o) => ends(o.start_time, o.duration ?? webinar.duration) < now);
    }
    return ends(webinar.startTime, webinar.duration) < now;
  }

  createWebinar(input: SimWebinarInput): WebinarRecord {
    const errors = checkWebinarInput(input);
    if (input.id !== undefined && this.webinars.has(input.id)) errors.push({ field: 'id', message: `Webinar ${input.id} already exists.` });
    if (errors.length > 0) throw validationFailed(errors);

    const host = this.hostFor(input);
    const type = input.type ?? 5;
    const duration = input.duration ?? 60;
    const startTime = type === 6 ? undefined : isoSeconds(new Date(input.start_time ?? this.now().getTime() + 24 * 3600_000));
    const webinar: WebinarRecord = {
      id: input.id ?? this.newId(),
      uuid: randomBytes(16).toString('base64'),
      host,
      topic: input.topic,
      type,
      startTime,
      duration,
      timezone: input.timezone ?? 'UTC',
      agenda: input.agenda ?? '',
      createdAt: isoSeconds(this.now()),
      approvalType: input.approval_type ?? 2,
      registrationType: input.registration_type ?? 1,
      capacity: input.registrants_restrict_number ?? 0,
      occurrences: occurrencesFor(type, startTime, duration, input.occurrences),
      questions: { questions: [...(input.questions?.questions ?? [])], custom_questions: [...(input.questions?.custom_questions ?? [])] },
      startToken: randomBytes(24).toString('base64url'),
      registrants: new Map(),
      byEmail: new Map(),
    };
    this.webinars.set(webinar.id, webinar);
    return webinar;
  }

  /** Seeding with a new host_id/host_email adds that user to the account. */
  private hostFor(input: SimWebinarInput): SimUser {
    if (input.host_id === undefined && input.host_email === undefined) return DEFAULT_HOST;
    const known = [...this.users.values()].find(
      (u) => u.id === input.host_id || (input.host_email !== undefined && u.email.toLowerCase() === input.host_email.toLowerCase()),
    );
    if (known) return known;
    const user = { id: input.host_id ?? opaqueId(), email: input.host_email ?? `${input.host_id}@zoom-simulator.test` };
    this.users.set(user.id, user);
    return user;
  }

  /** Webinar ids are 10–11 digit numbers (FACTS §1.3), safely below 2^53. */
  private newId(): number {
    for (;;) {
      const id = randomInt(1_000_000_000, 100_000_000_000);
      if (!this.webinars.has(id)) return id;
    }
  }
}

function occurrencesFor(type: number, startTime: string | undefined, duration: number, given: SimWebinarInput['occurrences']): ZoomOccurrence[] {
  // Occurrence ids are the start time in epoch ms, like Zoom's ("1648538280000", FACTS §2.1).
  const make = (start: number, minutes: number): ZoomOccurrence => ({
    occurrence_id: String(start),
    start_time: isoSeconds(new Date(start)),
    duration: minutes,
    status: 'available',
  });
  if (given && given.length > 0) return given.map((o) => make(Date.parse(o.start_time), o.duration ?? duration));
  if (type !== 9 || startTime === undefined) return [];
  const first = Date.parse(startTime);
  return [0, 1, 2, 3].map((week) => make(first + week * WEEK_MS, duration));
}

/** Shape checks of a seed or create request; Zoom's own limits from FACTS §2.7. */
export function checkWebinarInput(input: SimWebinarInput): FieldError[] {
  const errors: FieldError[] = [];
  const bad = (field: string, message: string) => errors.push({ field, message });
  if (typeof input.topic !== 'string' || input.topic.length === 0 || input.topic.length > 200) bad('topic', 'A topic of 1–200 characters is required.');
  if (input.type !== undefined && ![5, 6, 9].includes(input.type)) bad('type', 'Must be 5, 6 or 9.');
  if (input.approval_type !== undefined && ![0, 1, 2].includes(input.approval_type)) bad('settings.approval_type', 'Must be 0, 1 or 2.');
  if (input.registration_type !== undefined && ![1, 2, 3].includes(input.registration_type)) bad('settings.registration_type', 'Must be 1, 2 or 3.');
  const cap = input.registrants_restrict_number;
  if (cap !== undefined && (!Number.isInteger(cap) || cap < 0 || cap > 20000)) bad('settings.registrants_restrict_number', 'Must be an integer 0–20000.');
  if (input.id !== undefined && !(Number.isSafeInteger(input.id) && input.id >= 1e9 && input.id < 1e11)) bad('id', 'Must be a 10–11 digit number.');
  if (input.start_time !== undefined && Number.isNaN(Date.parse(input.start_time))) bad('start_time', 'Must be an ISO-8601 date-time.');
  if (input.duration !== undefined && (!Number.isInteger(input.duration) || input.duration <= 0)) bad('duration', 'Must be a positive integer (minutes).');
  for (const o of input.occurrences ?? []) if (Number.isNaN(Date.parse(o.start_time))) bad('occurrences.start_time', 'Must be an ISO-8601 date-time.');
  errors.push(...checkQuestions(input.questions ?? {}));
  return errors;
}

/** Validates a questions object (seed or PATCH …/registrants/questions, FACTS §2.5). */
export function checkQuestions(q: Partial<ZoomRegistrationQuestions>): FieldError[] {
  const errors: FieldError[] = [];
  for (const item of q.questions ?? []) {
    if (!(STANDARD_FIELDS as readonly string[]).includes(item.field_name)) errors.push({ field: 'questions.field_name', message: `Unknown field "${item.field_name}".` });
  }
  for (const item of q.custom_questions ?? []) {
    if (!CUSTOM_TYPES.includes(item.type)) errors.push({ field: 'custom_questions.type', message: `Unknown type "${item.type}".` });
    if (item.type !== 'short' && (item.answers ?? []).length === 0) errors.push({ field: 'custom_questions.answers', message: `"${item.title}" needs answers.` });
  }
  return errors;
}
