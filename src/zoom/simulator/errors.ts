import type { RateLabel, ZoomErrorBody } from '../types.js';

/**
 * Zoom's error answers as the simulator gives them. Codes, statuses and message texts come from
 * FACTS §2.1–2.6 and the code table of §2.10; 429 texts from §3.3. Where FACTS has no text, the
 * message says so in its own words and the comment marks it as a simulator choice.
 */
export class SimulatedZoomError extends Error {
  constructor(
    readonly status: number,
    readonly code: number,
    message: string,
    readonly errors?: Array<{ field: string; message: string }>,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'SimulatedZoomError';
  }

  body(): ZoomErrorBody {
    return this.errors ? { code: this.code, message: this.message, errors: this.errors } : { code: this.code, message: this.message };
  }
}

export type FieldError = { field: string; message: string };

/** Observed 401 for a missing, unknown or expired bearer token (FACTS §2.10). */
export const invalidToken = () => new SimulatedZoomError(401, 124, 'Invalid access token.');

export const webinarNotFound = (id: string) => new SimulatedZoomError(404, 3001, `Webinar "${id}" not found or has expired.`);
/** Batch registration words it differently (FACTS §2.2). */
export const batchWebinarNotFound = (id: string) => new SimulatedZoomError(404, 3001, `Webinar does not exist: ${id}.`);

export const registrationNotEnabled = (id: string) => new SimulatedZoomError(400, 3000, `This webinar does not have registration as required: ${id}.`);
export const batchRegistrationNotEnabled = (id: string) => new SimulatedZoomError(400, 3000, `Registration not enabled for this webinar: ${id}`);

export const webinarOver = () =>
  new SimulatedZoomError(400, 3038, 'Webinar is over, you cannot register now. If you have any questions, contact the webinar host.');

export const validationFailed = (errors: FieldError[]) => new SimulatedZoomError(400, 300, 'Validation Failed.', errors);
/** FACTS §2.10's example for a body that is not a JSON object. */
export const invalidJsonBody = () => new SimulatedZoomError(400, 300, 'Request Body should be a valid JSON object.');
/** Older spec's 300 text (FACTS §2.1). */
export const invalidOccurrenceIds = () => new SimulatedZoomError(400, 300, 'Invalid parameter: occurrence_ids.');
export const batchTypeOnly = () =>
  new SimulatedZoomError(400, 300, 'This API can only be used for scheduled webinars (type 5). Batch registration is not supported for other webinar types.');

export const attendeeLimit = () =>
  new SimulatedZoomError(400, 3000, 'You have reached the limit for the number of attendees you can add. Contact Zoom Support for more information.');
export const capacityOnApprove = () => new SimulatedZoomError(400, 3035, 'Webinar has reached maximum attendee capacity.');
export const capacityOnBatch = () => new SimulatedZoomError(404, 3043, 'Webinar has reached maximum attendee capacity.');
export const hostCannotRegister = () => new SimulatedZoomError(400, 3027, 'Host cannot register.');

/**
 * A denied (or admin-cancelled) email cannot register again (FACTS §0.3, §7 #3). Zoom's exact text
 * is not documented; the code is the registration family's 3000.
 */
export const deniedEmail = (email: string) =>
  new SimulatedZoomError(400, 3000, `The registrant "${email}" has been denied or cancelled for this webinar and cannot register again.`);

/** DELETE of an unknown registrant (FACTS §2.6). */
export const registrantNotFoundOnDelete = (id: string) => new SimulatedZoomError(400, 3000, `Registrant ${id} was not found.`);
/** GET of an unknown registrant: FACTS has no text; simulator choice, distinct from the webinar's 3001. */
export const registrantNotFound = (id: string) => new SimulatedZoomError(404, 404, `Registrant "${id}" not found.`);

export const userNotFound = (userId: string) => new SimulatedZoomError(404, 1001, `User "${userId}" does not exist or does not belong to this account.`);

/** Pagination token unknown, expired (15 min, FACTS §2.3) or used with a different query: simulator text. */
export const invalidPageToken = () => new SimulatedZoomError(400, 300, 'The next page token is invalid or expired.');

const category = (label: RateLabel) => label.charAt(0).toUpperCase() + label.slice(1);

/** Per-second label limit (FACTS §3.3 body, §3.4 headers). */
export const perSecondLimit = (label: RateLabel, limit: number) =>
  new SimulatedZoomError(429, 429, 'You have reached the maximum per-second rate limit for this API. Try again later.', undefined, {
    'X-RateLimit-Category': category(label),
    'X-RateLimit-Type': 'QPS',
    'X-RateLimit-Limit': String(limit),
    'X-RateLimit-Remaining': '0',
  });

/** Headers of a daily-limit 429: `Retry-After` is an ISO date-time, not seconds (FACTS §3.4). */
function dailyHeaders(label: RateLabel, limit: number, retryAt: Date): Record<string, string> {
  return {
    'X-RateLimit-Category': category(label),
    'X-RateLimit-Type': 'Daily-limit',
    'X-RateLimit-Limit': String(limit),
    'X-RateLimit-Remaining': '0',
    'Retry-After': retryAt.toISOString().replace(/\.\d{3}Z$/, 'Z'),
  };
}

/** The three per-registrant wordings of FACTS §3.2/§3.3 (the older spec's texts for add, batch, status). */
const REGISTRANT_API_NAMES = {
  add: 'Add a webinar registrant',
  batch: 'webinar Perform batch registration',
  status: "webinar Update registrant's status",
} as const;

export const registrantDailyLimit = (api: keyof typeof REGISTRANT_API_NAMES, label: RateLabel, limit: number, registrant: string, retryAt: Date) =>
  new SimulatedZoomError(
    429,
    429,
    `You have exceeded the daily rate limit of "${limit}" for ${REGISTRANT_API_NAMES[api]} API requests for the registrant "${registrant}". You can resume these API requests at GMT 00:00:00.`,
    undefined,
    dailyHeaders(label, limit, retryAt),
  );

/** 100 create/update requests per host user per UTC day (FACTS §3.2; text from §3.3). */
export const userDailyLimit = (limit: number, retryAt: Date) =>
  new SimulatedZoomError(
    429,
    429,
    `You have exceeded the daily rate limit (${limit}) of Meeting Create/Update API requests permitted for this particular user. You may resume these requests at GMT 00:00:00.`,
    undefined,
    dailyHeaders('light', limit, retryAt),
  );
