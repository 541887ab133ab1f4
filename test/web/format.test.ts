import { describe, expect, it } from 'vitest';
import { formatDateTime, formatMoney, relativeTime, sumMoney } from '../../web/src/lib/format';

const NOW = Date.parse('2026-04-14T12:00:00Z');
const ago = (seconds: number) => new Date(NOW - seconds * 1000).toISOString();

describe('relativeTime', () => {
  it.each([
    [5, 'just now'],
    [44, 'just now'],
    [60, '1 min ago'],
    [5 * 60, '5 min ago'],
    [59 * 60, '59 min ago'],
    [60 * 60, '1 hour ago'],
    [3 * 3600, '3 hours ago'],
    [24 * 3600, 'yesterday'],
    [3 * 86400, '3 days ago'],
  ])('%i s ago reads "%s"', (seconds, text) => {
    expect(relativeTime(ago(seconds), NOW)).toBe(text);
  });

  it('says "just now" for a clock slightly ahead of ours, and the date for old ones', () => {
    expect(relativeTime(ago(-30), NOW)).toBe('just now');
    expect(relativeTime('2026-03-01T10:00:00Z', NOW, { locale: 'en-GB', timeZone: 'UTC' })).toBe('1 Mar 2026');
  });
});

describe('dates and money', () => {
  it('shows a start time in the given time zone', () => {
    const iso = '2026-04-14T16:00:00Z';
    expect(formatDateTime(iso, { timeZone: 'Asia/Tokyo', locale: 'en-GB' })).toMatch(/Wed,? 15 Apr 2026,? 01:00/);
    expect(formatDateTime(iso, { timeZone: 'America/New_York', locale: 'en-US' })).toMatch(/Tue, Apr 14, 2026,? 12:00\sPM EDT/);
  });

  it('sums decimal prices to the cent and formats money', () => {
    expect(sumMoney(['49.00', '79.00'])).toBe('128.00');
    expect(sumMoney(['0.10', '0.20'])).toBe('0.30');
    expect(formatMoney('49.00', 'USD', 'en-US')).toBe('$49.00');
    expect(formatMoney('10', 'XYZ1', 'en-US')).toBe('10.00 XYZ1');
  });
});
