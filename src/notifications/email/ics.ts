import { createEvent } from 'ics';

export interface WebinarInviteInput {
  webinarId: number;
  userId: number;
  topic: string;
  /** ISO 8601 instant (with offset or Z), as Zoom and our rows give it. */
  startTime: string;
  durationMinutes: number | null;
  /** The webinar's IANA zone; only mentioned, since DTSTART is written in UTC. */
  timezone: string | null;
  joinUrl: string;
  publicUrl: string;
}

const DEFAULT_DURATION_MINUTES = 60;

/**
 * The UID a calendar uses to recognise "the same event" across emails: one per seat (webinar and
 * student), and per installation (two EduConnects on one machine must not overwrite each other's
 * events), so a resent approval updates the existing entry instead of adding a second one.
 */
export function inviteUid(webinarId: number, userId: number, publicUrl: string): string {
  return `webinar-${webinarId}-user-${userId}@${new URL(publicUrl).host}`;
}

/**
 * A one-event iCalendar (METHOD:PUBLISH) for one student's webinar seat. DTSTART is written in UTC
 * ("…Z"): every client reads that unambiguously, whereas a TZID would need a VTIMEZONE block that
 * some clients ignore. Throws on an unusable start time or if `ics` refuses the event.
 */
export function webinarInvite(input: WebinarInviteInput): string {
  const start = Date.parse(input.startTime);
  if (Number.isNaN(start)) throw new Error(`webinar ${input.webinarId}: start time is not a date`);
  const minutes = input.durationMinutes !== null && input.durationMinutes > 0 ? input.durationMinutes : DEFAULT_DURATION_MINUTES;

  const description = [
    `Join the webinar: ${input.joinUrl}`,
    'This join link is personal to you; please do not share it.',
    ...(input.timezone ? [`Scheduled in the ${input.timezone} time zone.`] : []),
  ].join('\n');

  const { error, value } = createEvent({
    productId: '-//EduConnect//Webinar invite//EN',
    method: 'PUBLISH',
    uid: inviteUid(input.webinarId, input.userId, input.publicUrl),
    start,
    startInputType: 'utc',
    startOutputType: 'utc',
    duration: { minutes },
    title: input.topic,
    description,
    url: input.joinUrl,
    location: input.joinUrl,
    status: 'CONFIRMED',
    busyStatus: 'BUSY',
    alarms: [{ action: 'display', description: `Starting soon: ${input.topic}`, trigger: { minutes: 15, before: true } }],
  });
  if (error || !value) throw new Error(`webinar ${input.webinarId}: calendar invite not built: ${error?.message ?? 'no output'}`);
  return refold(value);
}

/**
 * `ics` folds by characters and not everywhere, so a non-ASCII topic gives lines far over the 75
 * octets RFC 5545 §3.1 allows, which strict clients reject. Unfolds, then folds every line at 75
 * octets, never inside a UTF-8 sequence or a surrogate pair.
 */
export function refold(calendar: string): string {
  const lines = calendar.replace(/\r\n[ \t]/g, '').split('\r\n');
  return lines
    .map((line) => {
      const parts: string[] = [];
      let current = '';
      let size = 0;
      for (const char of line) {
        const bytes = Buffer.byteLength(char);
        // A continuation line starts with one space, which counts towards its 75 octets.
        if (size + bytes > 75) {
          parts.push(current);
          current = ' ';
          size = 1;
        }
        current += char;
        size += bytes;
      }
      parts.push(current);
      return parts.join('\r\n');
    })
    .join('\r\n');
}
