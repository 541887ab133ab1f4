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
