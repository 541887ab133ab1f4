/**
 * Every kind of notification, with the seeds' titles. `essential` ones (enrollment, approval and
 * payment outcomes) cannot be turned off in the app, and their email is sent even when the in-app
 * notification was already read.
 */
export const NOTIFICATION_TYPES = {
  class_enrollment: { title: 'Class Enrollment Confirmed', essential: true, description: 'You are enrolled in a class after your payment is verified' },
  webinar_registration: { title: 'Webinar Registration Successful', essential: false, description: 'You are registered for a class webinar in Zoom' },
  webinar_approval: { title: 'Webinar Approved - Ready to Join!', essential: true, description: 'Your webinar seat is approved: your personal join link' },
  payment_rejected: { title: 'Payment Not Accepted', essential: true, description: 'A payment receipt was rejected, with the reason' },
  registration_problem: { title: 'Webinar Registration Needs Attention', essential: false, description: 'Your Zoom registration needs an admin; we are on it' },
  registration_cancelled: { title: 'Webinar Registration Cancelled', essential: false, description: 'A webinar registration was cancelled' },
  announcement: { title: 'Announcement', essential: false, description: 'Announcements from your classes and the school' },
} as const;

export type NotificationType = keyof typeof NOTIFICATION_TYPES;
export const NOTIFICATION_TYPE_NAMES = Object.keys(NOTIFICATION_TYPES) as NotificationType[];
export const CHANNELS = ['in_app', 'email'] as const;
export type Channel = (typeof CHANNELS)[number];

export const isEssential = (type: string): boolean => NOTIFICATION_TYPES[type as NotificationType]?.essential ?? false;

/** What each type carries in `data` (the templates and the web app read these). */
export interface NotificationData {
  class_enrollment: { class_id: number; class_title: string; enrollment_id: number; payment_id: number };
  webinar_registration: { webinar_id: number; topic: string; start_time: string | null; timezone: string | null; status: string };
  webinar_approval: { webinar_id: number; topic: string; join_url: string; start_time: string | null; timezone: string | null; duration: number | null };
  payment_rejected: { payment_id: number; reason: string; amount: string; currency: string };
  registration_problem: { webinar_id: number; topic: string; problem: string };
  registration_cancelled: { webinar_id: number; topic: string; reason: string };
  announcement: { broadcast_id: number; class_id: number | null };
}
