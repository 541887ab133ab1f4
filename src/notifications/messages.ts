import type { NotificationData, NotificationType } from './types.js';

/** The in-app message of each type, from its data. Emails have their own, longer templates. */
const MESSAGES: { [T in NotificationType]: (data: NotificationData[T]) => string } = {
  class_enrollment: (d) => `Your payment is verified and you are enrolled in "${d.class_title}". We are registering you for its webinars now; you will get your join link here.`,
  webinar_registration: (d) =>
    d.status === 'approved'
      ? `You are registered for "${d.topic}" and your seat is confirmed.`
      : `You are registered for "${d.topic}". Your seat is being approved; your join link follows as soon as it is.`,
  webinar_approval: (d) => `Your seat for "${d.topic}" is approved. Use your personal join link to attend; it is yours alone, so please do not share it.`,
  payment_rejected: (d) => `Your payment of ${d.amount} ${d.currency} could not be accepted: ${d.reason}`,
  registration_problem: (d) => `Your registration for "${d.topic}" needs an admin's attention: ${d.problem}. We have been told and will fix it; nothing is needed from you.`,
  registration_cancelled: (d) => `Your registration for "${d.topic}" was cancelled: ${d.reason}`,
  announcement: () => '',
};

export const composeMessage = <T extends NotificationType>(type: T, data: NotificationData[T]): string => MESSAGES[type](data);

/** Where the notification's primary action leads in the web app (the join link for an approval). */
export function defaultActionUrl<T extends NotificationType>(type: T, data: NotificationData[T]): string | null {
  switch (type) {
    case 'webinar_approval':
      return (data as NotificationData['webinar_approval']).join_url;
    case 'payment_rejected':
      return '/payments';
    case 'announcement':
      return null;
    default:
      return '/my-classes';
  }
}

/** The message cut at a word boundary near `max` characters, for list previews. */
export function preview(message: string, max = 100): string {
  const text = message.replace(/\s+/g, ' ').trim();
  if (text.length <= max) return text;
  const cut = text.slice(0, max + 1);
  const lastSpace = cut.lastIndexOf(' ');
  return `${(lastSpace > max * 0.6 ? cut.slice(0, lastSpace) : text.slice(0, max)).replace(/[\s,.;:!?-]+$/, '')}…`;
}
