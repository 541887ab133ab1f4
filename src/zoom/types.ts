/**
 * The parts of Zoom's Meeting API (webinars) that EduConnect uses, written from Zoom's OpenAPI spec
 * and the research notes in shared/zoom/FACTS.md (section numbers below point there). Shared by the
 * client and the built-in simulator, so both speak exactly one dialect.
 */

/** Rate-limit labels (FACTS §3.1). Zoom counts per account, per label bucket. */
export type RateLabel = 'light' | 'medium' | 'heavy';
export type ZoomPlan = 'free' | 'pro' | 'business';

/** Requests per second by plan and label (FACTS §3.1). */
export const RATE_LIMITS: Record<ZoomPlan, Record<RateLabel, number>> = {
  free: { light: 4, medium: 2, heavy: 1 },
  pro: { light: 30, medium: 20, heavy: 10 },
  business: { light: 80, medium: 60, heavy: 40 },
};

/** Per-registrant, per-webinar, per-UTC-day limits (FACTS §3.2). */
export const REGISTRANT_DAILY_LIMITS = { add: 3, status: 10 } as const;
/** Most registrants per status call or batch registration (FACTS §2.2, §2.4). */
export const MAX_REGISTRANTS_PER_CALL = 30;
/** Largest page of GET …/registrants (FACTS §2.3). */
export const MAX_PAGE_SIZE = 300;

/** 0 automatic, 1 manual, 2 no registration (FACTS §2.7). */
export type ApprovalType = 0 | 1 | 2;
/** 5 webinar, 6 recurring without fixed time, 9 recurring with fixed time. */
export type WebinarType = 5 | 6 | 9;

/** Zoom's error body (FACTS §2.10). */
export interface ZoomErrorBody {
  code: number;
  message: string;
  errors?: Array<{ field: string; message: string }>;
}

export interface ZoomOccurrence {
  occurrence_id: string;
  start_time: string;
  duration?: number;
  status?: string;
}

export interface ZoomWebinarSettings {
  approval_type?: ApprovalType;
  registration_type?: 1 | 2 | 3;
  registrants_restrict_number?: number;
  registrants_email_notification?: boolean;
  registrants_confirmation_email?: boolean;
}

/** GET /webinars/{webinarId} (FACTS §2.7). `id` is an int64 number in JSON; we keep it as a string. */
export interface ZoomWebinar {
  id: number;
  uuid: string;
  host_id: string;
  host_email?: string;
  topic: string;
  type: WebinarType;
  start_time?: string;
  duration?: number;
  timezone?: string;
  agenda?: string;
  created_at?: string;
  join_url?: string;
  /** Host-only. Never shown to a student (PRODUCT.md: host start URLs must not leak). */
  start_url?: string;
  occurrences?: ZoomOccurrence[];
  settings?: ZoomWebinarSettings;
}

/** An item of GET /users/{userId}/webinars. */
export type ZoomWebinarSummary = Pick<ZoomWebinar, 'id' | 'uuid' | 'host_id' | 'topic' | 'type' | 'start_time' | 'duration' | 'timezone' | 'agenda' | 'created_at' | 'join_url'>;

export interface ZoomWebinarList {
  next_page_token: string;
  page_count?: number;
  page_size: number;
  total_records: number;
  webinars: ZoomWebinarSummary[];
}

/** POST /users/{userId}/webinars (subset). */
export interface ZoomCreateWebinar {
  topic: string;
  type?: WebinarType;
  start_time?: string;
  duration?: number;
  timezone?: string;
  agenda?: string;
  settings?: ZoomWebinarSettings;
}

/** Standard question field names (FACTS §2.5); first_name and email are always required and not listed. */
export const STANDARD_FIELDS = [
  'last_name',
  'address',
  'city',
  'country',
  'zip',
  'state',
  'phone',
  'industry',
  'org',
  'job_title',
  'purchasing_time_frame',
  'role_in_purchase_process',
  'no_of_employees',
  'comments',
] as const;
export type StandardField = (typeof STANDARD_FIELDS)[number];

/** Allowed values of the enumerated standard fields on the POST body (FACTS §2.1). */
export const STANDARD_FIELD_CHOICES: Partial<Record<StandardField, readonly string[]>> = {
  no_of_employees: ['', '1-20', '21-50', '51-100', '101-500', '500-1,000', '1,001-5,000', '5,001-10,000', 'More than 10,000'],
  purchasing_time_frame: ['', 'Within a month', '1-3 months', '4-6 months', 'More than 6 months', 'No timeframe'],
  role_in_purchase_process: ['', 'Decision Maker', 'Evaluator/Recommender', 'Influencer', 'Not involved'],
};

export type CustomQuestionType = 'short' | 'single_radio' | 'single_dropdown' | 'multiple';

/** GET /webinars/{webinarId}/registrants/questions (FACTS §2.5). */
export interface ZoomRegistrationQuestions {
  questions: Array<{ field_name: StandardField; required: boolean }>;
  custom_questions: Array<{ title: string; type: CustomQuestionType; required: boolean; answers?: string[] }>;
}

/** Body of POST /webinars/{webinarId}/registrants (FACTS §2.1). */
export interface ZoomRegistrantInput extends Partial<Record<StandardField, string>> {
  email: string;
  first_name: string;
  custom_questions?: Array<{ title: string; value: string }>;
  language?: string;
  source_id?: string;
}

/** 201 of POST /webinars/{webinarId}/registrants. `status` and `share_url` arrived in 2026 (FACTS §1.2). */
export interface ZoomRegistrantCreated {
  id: number;
  registrant_id: string;
  join_url: string;
  topic: string;
  start_time?: string;
  occurrences?: ZoomOccurrence[];
  status?: ZoomRegistrantStatus;
  share_url?: string;
}

export type ZoomRegistrantStatus = 'pending' | 'approved' | 'denied';

/** A registrant as GET …/registrants and GET …/registrants/{id} return it (FACTS §2.3, §2.6). */
export interface ZoomRegistrant extends Partial<Record<StandardField, string>> {
  id: string;
  email: string;
  first_name: string;
  custom_questions?: Array<{ title: string; value: string }>;
  status: ZoomRegistrantStatus;
  create_time: string;
  join_url: string;
  language?: string;
}

export interface ZoomRegistrantList {
  next_page_token: string;
  page_count?: number;
  page_size: number;
  total_records: number;
  registrants: ZoomRegistrant[];
}

/** POST /webinars/{webinarId}/batch_registrants (FACTS §2.2): name and email only, ≤ 30, type-5 webinars. */
export interface ZoomBatchInput {
  auto_approve?: boolean;
  registrants: Array<{ email: string; first_name: string; last_name?: string }>;
}
export interface ZoomBatchResult {
  registrants: Array<{ email: string; join_url: string; registrant_id: string }>;
}

/** PUT /webinars/{webinarId}/registrants/status (FACTS §2.4); 204 on success. */
export type ZoomStatusAction = 'approve' | 'deny' | 'cancel';
export interface ZoomStatusInput {
  action: ZoomStatusAction;
  registrants: Array<{ id?: string; email?: string }>;
}

/** Server-to-Server OAuth token response (FACTS §4). */
export interface ZoomTokenResponse {
  access_token: string;
  token_type: 'bearer';
  expires_in: number;
  scope: string;
  api_url?: string;
}

/** Webhook envelope and the registration events we consume (FACTS §5.1, §5.2). */
export type ZoomWebhookEventName =
  | 'endpoint.url_validation'
  | 'webinar.registration_created'
  | 'webinar.registration_approved'
  | 'webinar.registration_denied'
  | 'webinar.registration_cancelled'
  | 'webinar.updated'
  | 'webinar.deleted';

export interface ZoomWebhookRegistrant {
  id: string;
  email: string;
  first_name: string;
  last_name?: string;
  status?: string;
  join_url?: string;
}

export interface ZoomWebhookEvent {
  event: ZoomWebhookEventName | string;
  event_ts: number;
  payload: {
    account_id?: string;
    operator?: string;
    operator_id?: string;
    plainToken?: string;
    object?: {
      id?: number | string;
      uuid?: string;
      topic?: string;
      registrant?: ZoomWebhookRegistrant;
      [key: string]: unknown;
    };
  };
}

/** Webhook signature headers (FACTS §5.3). */
export const WEBHOOK_SIGNATURE_HEADER = 'x-zm-signature';
export const WEBHOOK_TIMESTAMP_HEADER = 'x-zm-request-timestamp';
