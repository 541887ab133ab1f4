/** How the admin pages say the pipeline's codes and numbers. */

export const APPROVAL_TYPES: Record<number, string> = {
  0: 'Automatic approval',
  1: 'Manual approval',
  2: 'No registration',
};

export const approvalTypeLabel = (type: number | null) => (type === null ? 'Unknown approval type' : (APPROVAL_TYPES[type] ?? `Approval type ${type}`));

/** Each failure code: what it means and what fixes it. */
const FAILURES: Record<string, { label: string; fix: string }> = {
  class_full: { label: 'Class at capacity', fix: 'Raise the class capacity (Classes), then Retry.' },
  webinar_full: { label: 'Webinar full in Zoom', fix: 'Raise the webinar’s capacity in Zoom, then Retry.' },
  webinar_not_ready: { label: 'Webinar not ready', fix: 'Answer its required questions in the question mapping (or turn registration on in Zoom), then Retry.' },
  answer_missing: { label: 'Answer missing for this student', fix: 'Map the question to a field the student has, or a fixed answer, then Retry.' },
  zoom_unavailable: { label: 'Zoom kept failing', fix: 'Zoom did not answer after several tries. Retry later.' },
  unknown: { label: 'Unknown reason', fix: 'See the message, then Retry.' },
};

export function failureLabel(code: string | null): string {
  if (!code) return 'Failed';
  const known = FAILURES[code];
  if (known) return known.label;
  const zoom = /^zoom_(\d+)$/.exec(code);
  return zoom ? `Zoom refused (code ${zoom[1]})` : code.replace(/_/g, ' ');
}

export function failureFix(code: string | null): string {
  return (code && FAILURES[code]?.fix) || 'Fix the cause Zoom names in the message, then Retry.';
}

/** 0.5 → "50%", 0.3333 → "33.3%", null → "—". */
export function formatRate(rate: number | null): string {
  if (rate === null) return '—';
  return `${Math.round(rate * 1000) / 10}%`;
}

/** 0.4 → "0.4 s", 75 → "1 min 15 s", 5400 → "1 h 30 min", 180000 → "2 days 2 h"; null → "—". */
export function formatSeconds(seconds: number | null): string {
  if (seconds === null) return '—';
  if (seconds < 10) return `${(Math.round(seconds * 10) / 10).toString()} s`;
  if (seconds < 60) return `${Math.round(seconds)} s`;
  const total = Math.round(seconds);
  const parts = (a: number, unitA: string, b: number, unitB: string) => (b ? `${a} ${unitA} ${b} ${unitB}` : `${a} ${unitA}`);
  if (total < 3600) return parts(Math.floor(total / 60), 'min', total % 60, 's');
  if (total < 86_400) return parts(Math.floor(total / 3600), 'h', Math.floor((total % 3600) / 60), 'min');
  const days = Math.floor(total / 86_400);
  return parts(days, days === 1 ? 'day' : 'days', Math.floor((total % 86_400) / 3600), 'h');
}

export const REGISTRATION_STATUS_BADGE: Record<string, string> = {
  queued: 'muted',
  pending: 'warning',
  approved: 'success',
  denied: 'danger',
  cancelled: 'muted',
  failed: 'danger',
};

/**
 * A key for "do this once" requests (a broadcast): random, from the platform's CSPRNG. Not
 * crypto.randomUUID, which browsers offer only on https and localhost pages.
 */
export function newIdempotencyKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return `web-${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`;
}
