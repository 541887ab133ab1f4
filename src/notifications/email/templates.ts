import type { NotificationRow } from '../../db/schema.js';
import type { NotificationData, NotificationType } from '../types.js';
import { fieldsOf, resolveAppUrl, startTimeRows } from './format.js';
import { webinarInvite } from './ics.js';
import { renderHtml, renderText, type Block } from './layout.js';
import type { MailMessage } from './mailer.js';

export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
  icalEvent?: MailMessage['icalEvent'];
}

export interface RenderInput {
  notification: NotificationRow;
  user: { id: number; first_name: string; last_name: string; email: string };
  publicUrl: string;
}

interface Body {
  blocks: Block[];
  icalEvent?: MailMessage['icalEvent'];
}

/** What a template gets: its type's data readers, the row, the recipient and the app's base URL. */
interface TemplateInput<T extends NotificationType> {
  d: ReturnType<typeof fieldsOf<NotificationData[T]>>;
  notification: NotificationRow;
  user: RenderInput['user'];
  publicUrl: string;
  /** The notification's action_url under PUBLIC_URL, if it has a usable one. */
  actionUrl: string | null;
}

/** A template returns null when `data` lacks what it needs; the generic email is sent instead. */
type Template<T extends NotificationType> = (input: TemplateInput<T>) => Body | null;

const paragraph = (text: string): Block => ({ kind: 'paragraph', text });
const actionButton = (label: string, url: string | null): Block[] => (url ? [{ kind: 'button', label, url }] : []);

const classEnrollment: Template<'class_enrollment'> = ({ d, actionUrl }) => {
  const title = d.str('class_title');
  if (!title) return null;
  const payment = d.num('payment_id');
  return {
    blocks: [
      paragraph(`Your payment has been verified and you are now enrolled in "${title}".`),
      { kind: 'facts', rows: [['Class', title], ...(payment !== null ? [['Payment', `#${payment}`] as [string, string]] : [])] },
      paragraph('We are registering you for the class webinars now. As soon as your seat is approved, you will get an email with your personal join link and a calendar invite.'),
      ...actionButton('View my classes', actionUrl),
    ],
  };
};

const webinarRegistration: Template<'webinar_registration'> = ({ d, actionUrl }) => {
  const topic = d.str('topic');
  if (!topic) return null;
  const approved = d.str('status') === 'approved';
  return {
    blocks: [
      paragraph(
        approved
          ? `You are registered for "${topic}" and your seat is confirmed.`
          : `You are registered for "${topic}". Your seat is awaiting approval; we will email you your personal join link as soon as it is approved.`,
      ),
      { kind: 'facts', rows: [['Webinar', topic], ...startTimeRows(d.str('start_time'), d.str('timezone'))] },
      ...actionButton('View my classes', actionUrl),
    ],
  };
};

const webinarApproval: Template<'webinar_approval'> = ({ d, user, publicUrl }) => {
  const topic = d.str('topic');
  const joinUrl = d.str('join_url');
  const webinarId = d.num('webinar_id');
  if (!topic || !joinUrl) return null;
  const startTime = d.str('start_time');
  const duration = d.num('duration');
  const invite = startTime && webinarId !== null ? approvalInvite({ webinarId, userId: user.id, topic, startTime, durationMinutes: duration, timezone: d.str('timezone'), joinUrl, publicUrl }) : null;
  const rows: Array<[string, string]> = [['Webinar', topic], ...startTimeRows(startTime, d.str('timezone'))];
  if (duration !== null && duration > 0) rows.push(['Duration', `${duration} minutes`]);
  return {
    blocks: [
      paragraph(`Your seat for "${topic}" is approved. You are ready to join!`),
      { kind: 'facts', rows },
      {
        kind: 'button',
        label: 'Join the webinar',
        url: joinUrl,
        note: 'This link is personal: it lets you, and only you, into the webinar. Please do not share or forward it.',
      },
      ...(invite ? [paragraph('A calendar invite (webinar.ics) is attached: add it to your calendar so you do not miss the start.')] : []),
    ],
    ...(invite ? { icalEvent: { filename: 'webinar.ics', method: 'PUBLISH' as const, content: invite } } : {}),
  };
};

/** The invite is a convenience: an event `ics` refuses must not hold back the join link itself. */
function approvalInvite(input: Parameters<typeof webinarInvite>[0]): string | null {
  try {
    return webinarInvite(input);
  } catch {
    return null;
  }
}

const paymentRejected: Template<'payment_rejected'> = ({ d, actionUrl }) => {
  const reason = d.str('reason');
  const amount = d.str('amount');
  const currency = d.str('currency');
  if (!reason || !amount || !currency) return null;
  const payment = d.num('payment_id');
  return {
    blocks: [
      paragraph(`We could not accept your payment receipt for ${amount} ${currency}.`),
      { kind: 'quote', label: 'Reason', text: reason },
      { kind: 'facts', rows: [['Amount', `${amount} ${currency}`], ...(payment !== null ? [['Payment', `#${payment}`] as [string, string]] : [])] },
      paragraph('You can upload a corrected receipt at any time. If you believe this is a mistake, please contact us.'),
      ...actionButton('Go to my payments', actionUrl),
    ],
  };
};

const registrationProblem: Template<'registration_problem'> = ({ d, actionUrl }) => {
  const topic = d.str('topic');
  if (!topic) return null;
  const problem = d.str('problem');
  return {
    blocks: [
      paragraph(`Your registration for the webinar "${topic}" needs attention from our team.`),
      ...(problem ? [{ kind: 'quote', label: 'What happened', text: problem } as Block] : []),
      paragraph('We have been told and are on it; you do not need to do anything. We will email you again as soon as your seat is sorted out.'),
      ...actionButton('View my classes', actionUrl),
    ],
  };
};

const registrationCancelled: Template<'registration_cancelled'> = ({ d, actionUrl }) => {
  const topic = d.str('topic');
  if (!topic) return null;
  const reason = d.str('reason');
  return {
    blocks: [
      paragraph(`Your registration for the webinar "${topic}" was cancelled.`),
      ...(reason ? [{ kind: 'quote', label: 'Reason', text: reason } as Block] : []),
      paragraph('If you did not expect this, please contact us.'),
      ...actionButton('View my classes', actionUrl),
    ],
  };
};

/** Announcements and unknown types: the notification's own words, paragraph by paragraph. */
const ownMessage = ({ notification, actionUrl }: Pick<TemplateInput<NotificationType>, 'notification' | 'actionUrl'>): Body => ({
  blocks: [
    ...notification.message
      .split(/\r?\n\s*\r?\n/)
      .map((p) => p.trim())
      .filter((p) => p !== '')
      .map(paragraph),
    ...actionButton('Open in EduConnect', actionUrl),
  ],
});

const TEMPLATES: { [T in NotificationType]: Template<T> } = {
  class_enrollment: classEnrollment,
  webinar_registration: webinarRegistration,
  webinar_approval: webinarApproval,
  payment_rejected: paymentRejected,
  registration_problem: registrationProblem,
  registration_cancelled: registrationCancelled,
  announcement: ownMessage,
};

const isKnownType = (type: string): type is NotificationType => Object.hasOwn(TEMPLATES, type);

export function renderEmail({ notification, user, publicUrl }: RenderInput): RenderedEmail {
  const base = publicUrl.replace(/\/+$/, '');
  const actionUrl = resolveAppUrl(notification.action_url, base);
  const input = { d: fieldsOf(notification.data), notification, user, publicUrl: base, actionUrl };
  // The union of templates is not callable with one input type; each only reads its own keys.
  const template = isKnownType(notification.type) ? (TEMPLATES[notification.type] as Template<NotificationType>) : null;
  const body = template?.(input) ?? ownMessage(input);
  // A header line: no line breaks, whatever the title holds.
  const subject = notification.title.replace(/\s+/g, ' ').trim();
  const layout = { subject, firstName: user.first_name, blocks: body.blocks, publicUrl: base };
  return { subject, text: renderText(layout), html: renderHtml(layout), ...(body.icalEvent ? { icalEvent: body.icalEvent } : {}) };
}
