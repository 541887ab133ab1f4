import type { FastifyInstance } from 'fastify';
import type {
  ApprovalType,
  RateLabel,
  StandardField,
  WebinarType,
  ZoomOccurrence,
  ZoomPlan,
  ZoomRegistrant,
  ZoomRegistrantInput,
  ZoomRegistrantStatus,
  ZoomRegistrationQuestions,
  ZoomWebinar,
} from '../types.js';

/** The public shapes of the simulator (the types the shared src/zoom/types.ts does not need). */

export interface ZoomSimulatorOptions {
  /** The only credentials the token endpoint accepts. */
  accountId: string;
  clientId: string;
  clientSecret: string;
  /** Which per-second label limits to enforce (RATE_LIMITS, FACTS §3.1). Default 'pro'. */
  plan?: ZoomPlan;
  /** Default true. When false the label windows are still counted (for the X-RateLimit-* headers). */
  enforceRateLimits?: boolean;
  /** Multiplies the label rates (e.g. 0.1 for tests). Default 1; a limit never drops below 1/s. */
  rateScale?: number;
  /** Fixed latency added to every /v2 call, in ms. Default 0. */
  latencyMs?: number;
  /** Access-token lifetime. Default 3600 (FACTS §4). */
  tokenTtlSeconds?: number;
  /** Clock for UTC days, token expiry, "webinar is over", timestamps. Default real time. */
  now?: () => Date;
  /** Base of join URLs. Default: the URL the simulator listens on. */
  publicUrl?: string;
  /** Where to POST signed webhook events; can also be set later with setWebhookTarget. */
  webhook?: { url: string; secretToken: string };
  /** Fastify logger. Default false. */
  logger?: boolean;
  /**
   * Keep webinars, registrants and users in this JSON file across restarts (loaded at start,
   * written shortly after each change and on close). Default: memory only.
   */
  stateFile?: string;
}

/** Control-plane input for seeding a webinar ("the host schedules it in Zoom's portal"). */
export interface SimWebinarInput {
  topic: string;
  /** 5 webinar (default), 6 recurring without fixed time, 9 recurring with fixed time (FACTS §2.7). */
  type?: WebinarType;
  /** Fixed id (10–11 digits) for reproducible seeds; generated when absent. */
  id?: number;
  /** ISO date-time; default one day after the simulator clock. Required for meaningful type-9 occurrences. */
  start_time?: string;
  /** Minutes; default 60. */
  duration?: number;
  timezone?: string;
  agenda?: string;
  /** 0 automatic, 1 manual, 2 no registration — Zoom's default, so also the default here (FACTS §2.7). */
  approval_type?: ApprovalType;
  /** Type 9 only: 1 once for all, 2 per occurrence, 3 pick occurrences (FACTS §2.7). */
  registration_type?: 1 | 2 | 3;
  questions?: Partial<ZoomRegistrationQuestions>;
  /** Type 9 (or 5) occurrences; type 9 without this gets four weekly occurrences from start_time. */
  occurrences?: Array<{ start_time: string; duration?: number }>;
  /** Capacity; 0 or absent = unlimited (FACTS §2.7, max 20000). */
  registrants_restrict_number?: number;
  host_id?: string;
  host_email?: string;
}

export interface FaultSpec {
  match?: { method?: string; path?: string; label?: RateLabel };
  kind: 'http_500' | 'http_503' | 'reset' | 'slow' | 'token_expired';
  /** before: fail without applying the change; after: apply the change, then fail the answer. */
  when?: 'before' | 'after';
  times?: number;
  probability?: number;
  delayMs?: number;
}

export interface RequestLogEntry {
  /** performance.now() at arrival, ms. */
  at: number;
  method: string;
  /** Route pattern relative to apiBaseUrl(), e.g. '/webinars/:webinarId/registrants'. */
  path: string;
  label: RateLabel;
  /** HTTP status; 0 while in flight or when the connection was reset. */
  status: number;
}

export interface WebhookDelivery {
  event: string;
  /** HTTP status of the receiver's answer, or 'error' for a network failure / timeout. */
  status: number | 'error';
  /** performance.now() when the attempt finished, ms. */
  at: number;
  /** 1 for the first attempt, 2.. for retries. */
  attempt: number;
}

export type SimStatusAction = 'approve' | 'deny' | 'cancel';

export interface ZoomSimulator {
  /** Routes: /oauth/token, /v2/…, /_sim/… (control plane), /w/:webinarId (join page). Usable with app.inject. */
  app: FastifyInstance;
  /** Resolves the base URL, e.g. http://127.0.0.1:4567. Port 0 picks a free port. Default host 127.0.0.1. */
  listen(port?: number, host?: string): Promise<string>;
  /** Stops listening, cancels pending webhook retries, writes the state file if any. */
  close(): Promise<void>;
  /** `${base}/v2` */
  apiBaseUrl(): string;
  /** `${base}/oauth/token` */
  tokenUrl(): string;
  /** Seeds a webinar as its host would in Zoom's portal; returns it as GET /webinars/{id} would. */
  createWebinar(input: SimWebinarInput): ZoomWebinar;
  /** All registrants of a webinar, any status, in registration order. */
  registrants(webinarId: string): ZoomRegistrant[];
  /** The host approves/denies/cancels in Zoom's portal: same transitions and webhooks as the API, no API limits. */
  setRegistrantStatus(webinarId: string, registrantId: string, action: SimStatusAction): void;
  /** The host edits the registration questions in Zoom's portal (replaces both lists). */
  setQuestions(webinarId: string, questions: ZoomRegistrationQuestions): void;
  /** Someone registers on Zoom's own page (no payment): same rules as the API, no daily limit; emits registration_created. */
  addRegistrantDirectly(webinarId: string, input: ZoomRegistrantInput): ZoomRegistrant;
  /** Returns the fault's id. Faults apply in the order added. */
  injectFault(fault: FaultSpec): string;
  clearFaults(): void;
  /** Every /v2 request (the most recent 100 000), in arrival order. */
  requestLog(): RequestLogEntry[];
  /** Successful POST /oauth/token since start or reset(). */
  tokenRequests(): number;
  setWebhookTarget(url: string, secretToken: string): void;
  /** Every delivery attempt (the most recent 10 000), retries included. */
  webhookDeliveries(): WebhookDelivery[];
  /** Resolves once every webhook delivery started so far (retries included) has finished. */
  webhooksSettled(): Promise<void>;
  /** Sends Zoom's `endpoint.url_validation` challenge to the target and checks the answer (FACTS §5.4). */
  validateWebhookTarget(): Promise<{ ok: boolean; status: number | 'error' }>;
  /**
   * Forgets webinars, registrants, users, daily and per-second counters, page tokens, faults, the
   * request and delivery logs and the token count. Keeps the webhook target and issued tokens.
   */
  reset(): void;
}

/** A host user of the simulated account. */
export interface SimUser {
  id: string;
  email: string;
}

/** Internal registrant record; `token` makes the join URL, never shown on its own. */
export interface RegistrantRecord {
  id: string;
  webinarId: number;
  email: string;
  first_name: string;
  fields: Partial<Record<StandardField, string>>;
  custom_questions: Array<{ title: string; value: string }>;
  language?: string;
  status: ZoomRegistrantStatus;
  createTime: string;
  token: string;
  occurrenceIds: string[];
}

/** Internal webinar record. */
export interface WebinarRecord {
  id: number;
  uuid: string;
  host: SimUser;
  topic: string;
  type: WebinarType;
  startTime?: string;
  duration: number;
  timezone: string;
  agenda: string;
  createdAt: string;
  approvalType: ApprovalType;
  registrationType: 1 | 2 | 3;
  capacity: number;
  occurrences: ZoomOccurrence[];
  questions: ZoomRegistrationQuestions;
  startToken: string;
  /** Insertion-ordered, so lists page in registration order. */
  registrants: Map<string, RegistrantRecord>;
  /** Lower-cased email → registrant id. */
  byEmail: Map<string, string>;
}
