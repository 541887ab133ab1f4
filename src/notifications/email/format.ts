/** Small formatting helpers shared by the templates. */

const WHEN: Intl.DateTimeFormatOptions = {
  weekday: 'long',
  year: 'numeric',
  month: 'long',
  day: 'numeric',
  hour: 'numeric',
  minute: '2-digit',
  timeZoneName: 'short',
};

/**
 * "Tuesday, March 10, 2026 at 11:00 AM EDT" in `timeZone`, or null when the zone is unknown (an
 * IANA name this runtime does not have must not stop the email). ICU puts a narrow no-break space
 * before AM/PM; it is made a plain space, which every mail client renders.
 */
export function formatInstant(date: Date, timeZone: string): string | null {
  try {
    return new Intl.DateTimeFormat('en-US', { ...WHEN, timeZone }).format(date).replace(/[\u202f\u00a0]/g, ' ');
  } catch {
    return null;
  }
}

/**
 * The start time as fact rows: in the webinar's own zone (named, since "EDT" alone is ambiguous)
 * and in UTC, so a student anywhere can check it. Empty when the time is unknown.
 */
export function startTimeRows(startTime: string | null, timezone: string | null): Array<[string, string]> {
  if (!startTime) return [];
  const date = new Date(startTime);
  if (Number.isNaN(date.getTime())) return [];
  const utc = formatInstant(date, 'UTC') ?? date.toISOString();
  const local = timezone && timezone !== 'UTC' ? formatInstant(date, timezone) : null;
  return local ? [['When', `${local} (${timezone})`], ['In UTC', utc]] : [['When', utc]];
}

/**
 * The web app's links are stored as paths ("/payments"); they are put under PUBLIC_URL, keeping any
 * path prefix it has. Absolute links are kept. Anything else is dropped.
 */
export function resolveAppUrl(url: string | null, publicUrl: string): string | null {
  if (!url) return null;
  if (url.startsWith('/') && !url.startsWith('//')) return `${publicUrl}${url}`;
  return /^https?:\/\//i.test(url) ? url : null;
}

/** Readers for a notification's `data` (JSON from the database): typed keys, checked values. */
export function fieldsOf<T extends object>(data: Record<string, unknown>) {
  type Key = keyof T & string;
  return {
    str: (key: Key): string | null => {
      const value = data[key];
      return typeof value === 'string' && value.trim() !== '' ? value : null;
    },
    num: (key: Key): number | null => {
      const value = data[key];
      return typeof value === 'number' && Number.isFinite(value) ? value : null;
    },
  };
}
