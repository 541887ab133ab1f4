import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';
import type { AnswerMapping } from '../zoom/questions.js';
import type { ZoomRegistrationQuestions } from '../zoom/types.js';

/**
 * Kysely's view of the schema in `migrations/`. Keep the two in step: a migration that adds a
 * column adds it here in the same commit.
 */

/** A timestamp column with a database default. */
type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type UpdatedAt = ColumnType<Date, Date | string | undefined, Date | string>;
type Timestamp = ColumnType<Date, Date | string, Date | string>;
/** numeric(12,2): read back as a decimal string on both drivers, never a float. */
type Money = ColumnType<string, string, string>;

export type Role = 'student' | 'admin';
export type PaymentStatus = 'pending' | 'verified' | 'rejected' | 'refunded';
export type EnrollmentStatus = 'active' | 'revoked';
export type RegistrationStatus = 'queued' | 'pending' | 'approved' | 'denied' | 'cancelled' | 'failed';

export interface UsersTable {
  id: Generated<number>;
  username: string;
  email: string;
  first_name: ColumnType<string, string | undefined, string>;
  last_name: ColumnType<string, string | undefined, string>;
  role: Role;
  password_hash: string;
  is_active: ColumnType<boolean, boolean | undefined, boolean>;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface ClassesTable {
  id: Generated<number>;
  title: string;
  description: ColumnType<string, string | undefined, string>;
  price: Money;
  currency: string;
  capacity: number | null;
  is_active: ColumnType<boolean, boolean | undefined, boolean>;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface WebinarsTable {
  id: Generated<number>;
  class_id: number;
  zoom_webinar_id: string;
  topic: string;
  start_time: Timestamp | null;
  duration_minutes: number | null;
  timezone: string | null;
  webinar_type: number | null;
  approval_type: number | null;
  occurrences: ColumnType<unknown[], string | undefined, string>;
  /** Zoom's registration questions as last fetched (FACTS §2.5). */
  questions: ColumnType<ZoomRegistrationQuestions | null, string | null | undefined, string | null>;
  /** The admin's answers, over the defaults (zoom/questions.ts). */
  answer_mapping: ColumnType<AnswerMapping, string | undefined, string>;
  synced_at: Timestamp | null;
  registration_type: number | null;
  host_email: string | null;
  deleted_in_zoom_at: Timestamp | null;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface ZoomWebhookEventsTable {
  id: Generated<number>;
  dedupe_key: string;
  event: string;
  event_ts: number;
  payload: ColumnType<Record<string, unknown>, string, string>;
  received_at: CreatedAt;
  processed_at: Timestamp | null;
  outcome: string | null;
  attempts: ColumnType<number, number | undefined, number>;
  last_error: string | null;
}

export interface ReceiptPaymentsTable {
  id: Generated<number>;
  student_id: number;
  amount: Money;
  currency: string;
  reference: string;
  receipt_path: string;
  receipt_content_type: string;
  receipt_size: number;
  receipt_sha256: string;
  receipt_original_name: string | null;
  status: ColumnType<PaymentStatus, PaymentStatus | undefined, PaymentStatus>;
  reviewed_by: number | null;
  reviewed_at: Timestamp | null;
  rejection_reason: string | null;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface ReceiptPaymentClassesTable {
  payment_id: number;
  class_id: number;
  price: Money;
  currency: string;
}

export interface EnrollmentsTable {
  id: Generated<number>;
  student_id: number;
  class_id: number;
  payment_id: number;
  status: ColumnType<EnrollmentStatus, EnrollmentStatus | undefined, EnrollmentStatus>;
  revoked_at: Timestamp | null;
  revoke_reason: string | null;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface ZoomWebinarRegistrationsTable {
  id: Generated<number>;
  student_id: number;
  webinar_id: number;
  enrollment_id: number | null;
  zoom_registrant_id: string | null;
  email: string;
  status: ColumnType<RegistrationStatus, RegistrationStatus | undefined, RegistrationStatus>;
  join_url: string | null;
  attempts: ColumnType<number, number | undefined, number>;
  last_error: string | null;
  approved_at: Timestamp | null;
  payment_id: number | null;
  occurrence_ids: string[] | null;
  add_attempted_at: Timestamp | null;
  add_requests_day: string | null;
  add_requests: ColumnType<number, number | undefined, number>;
  status_requests_day: string | null;
  status_requests: ColumnType<number, number | undefined, number>;
  next_attempt_at: Timestamp | null;
  failure_code: string | null;
  registered_at: Timestamp | null;
  cancel_requested_at: Timestamp | null;
  cancel_reason: string | null;
  approval_claimed_until: Timestamp | null;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface NotificationsTable {
  id: Generated<number>;
  user_id: number;
  type: string;
  title: string;
  message: string;
  data: ColumnType<Record<string, unknown>, string | undefined, string>;
  dedupe_key: string;
  read_at: Timestamp | null;
  in_app: ColumnType<boolean, boolean | undefined, boolean>;
  action_url: string | null;
  created_at: CreatedAt;
}

export type DeliveryStatus = 'queued' | 'sending' | 'sent' | 'failed' | 'skipped';

export interface NotificationDeliveriesTable {
  id: Generated<number>;
  notification_id: number;
  channel: 'email';
  recipient: string;
  status: ColumnType<DeliveryStatus, DeliveryStatus | undefined, DeliveryStatus>;
  attempts: ColumnType<number, number | undefined, number>;
  last_error: string | null;
  provider_message_id: string | null;
  sent_at: Timestamp | null;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface NotificationPreferencesTable {
  user_id: number;
  type: string;
  channel: 'in_app' | 'email';
  enabled: boolean;
  updated_at: UpdatedAt;
}

export interface StreamTicketsTable {
  ticket_hash: string;
  user_id: number;
  expires_at: Timestamp;
  used_at: Timestamp | null;
}

export interface BroadcastsTable {
  id: Generated<number>;
  idempotency_key: string;
  actor_id: number | null;
  class_id: number | null;
  title: string;
  message: string;
  channels: string[];
  recipients: number;
  created_at: CreatedAt;
}

export interface AuditLogTable {
  id: Generated<number>;
  actor_id: number | null;
  action: string;
  entity_type: string;
  entity_id: string;
  details: ColumnType<Record<string, unknown>, string | undefined, string>;
  created_at: CreatedAt;
}

export interface AppSettingsTable {
  key: string;
  value: ColumnType<unknown, string, string>;
  updated_at: UpdatedAt;
}

export interface Database {
  users: UsersTable;
  classes: ClassesTable;
  webinars: WebinarsTable;
  receipt_payments: ReceiptPaymentsTable;
  receipt_payment_classes: ReceiptPaymentClassesTable;
  enrollments: EnrollmentsTable;
  zoom_webinar_registrations: ZoomWebinarRegistrationsTable;
  notifications: NotificationsTable;
  audit_log: AuditLogTable;
  app_settings: AppSettingsTable;
  zoom_webhook_events: ZoomWebhookEventsTable;
  notification_deliveries: NotificationDeliveriesTable;
  notification_preferences: NotificationPreferencesTable;
  stream_tickets: StreamTicketsTable;
  broadcasts: BroadcastsTable;
}

export type User = Selectable<UsersTable>;
export type NewUser = Insertable<UsersTable>;
export type ClassRow = Selectable<ClassesTable>;
export type ClassUpdate = Updateable<ClassesTable>;
export type WebinarRow = Selectable<WebinarsTable>;
export type PaymentRow = Selectable<ReceiptPaymentsTable>;
export type EnrollmentRow = Selectable<EnrollmentsTable>;
export type RegistrationRow = Selectable<ZoomWebinarRegistrationsTable>;
export type NotificationRow = Selectable<NotificationsTable>;
export type DeliveryRow = Selectable<NotificationDeliveriesTable>;
