/** Formatting in the reader's own locale and time zone (the browser's), never the server's. */

export function userTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone;
}

export function formatMoney(amount: string | number, currency: string, locale?: string): string {
  const value = typeof amount === 'number' ? amount : Number(amount);
  try {
    return new Intl.NumberFormat(locale, { style: 'currency', currency }).format(value);
  } catch {
    // An unknown currency code: show it plainly.
    return `${value.toFixed(2)} ${currency}`;
  }
}

/** "Tue, 14 Apr 2026, 18:00 CEST" — a webinar's start, in the reader's time zone. */
export function formatDateTime(iso: string, options: { timeZone?: string; locale?: string } = {}): string {
  return new Intl.DateTimeFormat(options.locale, {
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: 'numeric',
    minute: '2-digit',
    timeZoneName: 'short',
    timeZone: options.timeZone,
  }).format(new Date(iso));
}

export function formatDate(iso: string, options: { timeZone?: string; locale?: string } = {}): string {
  return new Intl.DateTimeFormat(options.locale, { day: 'numeric', month: 'short', year: 'numeric', timeZone: options.timeZone }).format(new Date(iso));
}

/**
 * "just now", "5 min ago", "2 hours ago", "yesterday", "3 days ago", then the date. Future times
 * (a clock a little ahead of ours) read as "just now".
 */
export function relativeTime(iso: string, now: number = Date.now(), options: { timeZone?: string; locale?: string } = {}): string {
  const seconds = Math.round((now - new Date(iso).getTime()) / 1000);
  if (seconds < 45) return 'just now';
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.round(minutes / 60);
  if (hours < 24) return hours === 1 ? '1 hour ago' : `${hours} hours ago`;
  const days = Math.round(hours / 24);
  if (days === 1) return 'yesterday';
  if (days < 7) return `${days} days ago`;
  return formatDate(iso, options);
}

/** Sum of decimal money strings, exact to the cent. */
export function sumMoney(amounts: string[]): string {
  const cents = amounts.reduce((total, a) => total + Math.round(Number(a) * 100), 0);
  return (cents / 100).toFixed(2);
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(0)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}
