/** The API's shapes, as documented at /docs (GET /docs/json). Money is a decimal string ("49.00"). */

export type Role = 'student' | 'admin';

export interface User {
  id: number;
  username: string;
  email: string;
  first_name: string;
  last_name: string;
  role: Role;
  is_active: boolean;
  created_at: string;
}

export interface ErrorDetail {
  field: string;
  message: string;
}

export interface ErrorBody {
  code: string;
  message: string;
  details?: ErrorDetail[];
  request_id?: string;
}

export interface Page<T> {
  count: number;
  next: string | null;
  previous: string | null;
  results: T[];
}

export interface TokenPair {
  access: string;
  refresh: string;
  user: User;
}

export interface PublicWebinar {
  id: number;
  topic: string;
  start_time: string | null;
  /** Minutes. */
  duration: number | null;
  timezone: string | null;
}

export interface CatalogClass {
  id: number;
  title: string;
  description: string;
  price: string;
  currency: string;
  seats_left: number | null;
  is_enrolled: boolean;
  webinars: PublicWebinar[];
}

export type PaymentStatus = 'pending' | 'verified' | 'rejected' | 'refunded';

export interface PaymentClass {
  id: number;
  title: string;
  price: string;
  currency: string;
}

export interface StudentPayment {
  id: number;
  amount: string;
  currency: string;
  reference: string;
  status: PaymentStatus;
  classes: PaymentClass[];
  expected_amount: string | null;
  amount_matches: boolean;
  receipt: { content_type: string; size: number; sha256: string; original_name: string | null; url: string };
  reviewed_at: string | null;
  rejection_reason: string | null;
  created_at: string;
  updated_at: string;
}

export interface AdminPayment extends StudentPayment {
  student: { id: number; username: string; email: string; first_name: string; last_name: string };
  reviewed_by: { id: number; username: string } | null;
}

export interface EnrollmentRef {
  id: number;
  class_id: number;
  class_title: string;
}

export interface VerifyResult {
  payment: AdminPayment;
  enrollments_created: EnrollmentRef[];
  enrollments_already_present: EnrollmentRef[];
}

/** queued | pending | approved | denied | cancelled | failed */
export type RegistrationStatus = 'queued' | 'pending' | 'approved' | 'denied' | 'cancelled' | 'failed';

export interface Registration {
  status: RegistrationStatus | (string & {});
  join_url: string | null;
  approved_at: string | null;
  updated_at: string;
}

export interface EnrollmentWebinar extends PublicWebinar {
  registration: Registration | null;
}

export interface Enrollment {
  id: number;
  status: 'active' | 'revoked';
  payment_id: number;
  created_at: string;
  revoked_at: string | null;
  class: { id: number; title: string; description: string; price: string; currency: string };
  webinars: EnrollmentWebinar[];
}

export interface Notification {
  id: number;
  type: string;
  title: string;
  message: string;
  preview: string;
  is_read: boolean;
  created_at: string;
  data: Record<string, unknown>;
  action_url: string | null;
}

export interface NotificationList {
  notifications: Notification[];
  unread_count: number;
  next_cursor: string | null;
}

export interface ChannelSwitch {
  enabled: boolean;
  locked: boolean;
}

export interface NotificationPreference {
  type: string;
  title: string;
  description: string;
  essential: boolean;
  channels: { in_app: ChannelSwitch; email: ChannelSwitch };
}

/* ---- Admin ---- */

export interface WebinarQuestion {
  /** A custom question's title or a standard field's name. */
  key: string;
  kind: 'standard' | 'custom';
  required: boolean;
  /** The allowed answers of a choice question; null for free text. */
  choices: string[] | null;
}

/** A linked Zoom webinar as admins see it (GET /edu_admin/webinars/{id}/). */
export interface AdminWebinar {
  id: number;
  class_id: number;
  zoom_webinar_id: string;
  topic: string;
  start_time: string | null;
  duration: number | null;
  timezone: string | null;
  webinar_type: number | null;
  /** 0 automatic, 1 manual, 2 no registration. */
  approval_type: number | null;
  registration_type: number | null;
  occurrences: Array<{ occurrence_id: string; start_time: string; duration?: number }>;
  questions: WebinarQuestion[];
  unanswered_questions: string[];
  registration_ready: boolean;
  problems: string[];
  synced_at: string | null;
  deleted_in_zoom_at: string | null;
  created_at: string;
}

export interface AdminClass {
  id: number;
  title: string;
  description: string;
  price: string;
  currency: string;
  capacity: number | null;
  is_active: boolean;
  enrolled_count: number;
  seats_left: number | null;
  webinars: AdminWebinar[];
  created_at: string;
  updated_at: string;
}

export type AnswerSource = 'username' | 'email' | 'first_name' | 'last_name' | 'payment_id' | 'payment_reference' | 'class_title';
export type AnswerRule = { fixed: string } | { from: AnswerSource };

/** GET/PUT /edu_admin/webinars/{id}/question-mapping/ */
export interface QuestionMapping {
  webinar_id: number;
  questions: WebinarQuestion[];
  /** The effective answers: the defaults, overridden by the admin's. */
  answers: Record<string, { fixed?: string; from?: string }>;
  defaults: Record<string, { fixed?: string; from?: string }>;
  unanswered: string[];
}

export interface WebinarPipelineStatus {
  /** Zoom's webinar id. */
  webinar_id: string;
  id: number;
  topic: string;
  start_time: string | null;
  pending_in_zoom: { paid: number; unpaid: number } | null;
  zoom_error: string | null;
  queued: number;
  pending: number;
  approved: number;
  denied: number;
  cancelled: number;
  failed: number;
  total: number;
  verify_to_approved: { approved_count: number; p50_seconds: number | null; p90_seconds: number | null; max_seconds: number | null };
}

export interface PendingStatus {
  webinars: WebinarPipelineStatus[];
  totals: Record<string, number>;
  verify_to_approved: WebinarPipelineStatus['verify_to_approved'];
}

export interface AdminRegistration {
  id: number;
  status: RegistrationStatus | (string & {});
  student: { id: number; username: string; email: string; name: string };
  webinar: { id: number; zoom_webinar_id: string; topic: string };
  zoom_registrant_id: string | null;
  join_url: string | null;
  attempts: number;
  failure_code: string | null;
  last_error: string | null;
  next_attempt_at: string | null;
  approved_at: string | null;
  created_at: string;
  updated_at: string;
}

/** What approve-now and reconcile answer. */
export interface ApprovalAnswer {
  webinars: Array<{
    webinar_id: string;
    topic: string;
    approved: Array<{ registration_id: number; email: string }>;
    skipped_unpaid: Array<{ registrant_id: string; email: string }>;
    failed: Array<{ registration_id: number; email: string; reason: string }>;
    repaired: Array<{ registration_id: number; change: string }>;
  }>;
  totals: { approved: number; skipped_unpaid: number; failed: number; repaired: number };
  errors: Array<{ webinar_id: number; error: string }>;
}

export interface RefundResult {
  payment_id: number;
  status: string;
  enrollments_revoked: number[];
  enrollments_kept: number[];
}

export type RegistrationCounts = Record<RegistrationStatus | 'total', number>;

export interface ReportRates {
  registered_in_zoom: number;
  /** 0…1, or null when nothing divides. */
  registration_rate: number | null;
  approval_rate: number | null;
}

export interface ReportSummary {
  generated_at: string;
  totals: ReportRates & { classes: number; enrolled: number; registrations: RegistrationCounts };
  classes: Array<ReportRates & { class_id: number; title: string; is_active: boolean; capacity: number | null; enrolled: number; webinars: number; registrations: RegistrationCounts }>;
  verify_to_approved: {
    count: number;
    p50_seconds: number | null;
    p90_seconds: number | null;
    p99_seconds: number | null;
    max_seconds: number | null;
    buckets: Array<{ label: string; min_seconds: number; max_seconds: number | null; count: number }>;
  };
  failures: Array<{ failure_code: string; count: number; latest_at: string; example: string | null }>;
}

export type DeliveryStatus = 'queued' | 'sending' | 'sent' | 'failed' | 'skipped';

export interface Delivery {
  id: number;
  notification_id: number;
  user_id: number;
  type: string;
  title: string;
  channel: string;
  recipient: string;
  status: DeliveryStatus | (string & {});
  attempts: number;
  last_error: string | null;
  sent_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface BroadcastResult {
  id: number;
  class_id: number | null;
  title: string;
  message: string;
  channels: string[];
  recipients: number;
  emails_queued: number;
  /** false: this idempotency key was used before and nothing new was sent. */
  created: boolean;
  created_at: string;
}
