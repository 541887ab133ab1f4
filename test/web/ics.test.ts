import ICAL from 'ical.js';
import { describe, expect, it } from 'vitest';
import { buildIcs, escapeText, foldLine } from '../../web/src/lib/ics';
import { webinarIcs } from '../../web/src/pages/my-classes';
import type { Enrollment } from '../../web/src/api/types';

describe('.ics for "Add to calendar"', () => {
  it('escapes text and folds long lines at 75 octets without splitting a character', () => {
    expect(escapeText('a, b; c\\d\ne')).toBe('a\\, b\\; c\\\\d\\ne');
    const folded = foldLine(`SUMMARY:${'é'.repeat(60)}`);
    for (const line of folded.split('\r\n')) expect(new TextEncoder().encode(line).length).toBeLessThanOrEqual(75);
    expect(folded.split('\r\n').map((l, i) => (i === 0 ? l : l.slice(1))).join('')).toBe(`SUMMARY:${'é'.repeat(60)}`);
  });

  it('makes a calendar that a calendar parser reads back', () => {
    const text = buildIcs(
      [{ uid: 'u1@educonnect', title: 'Algebra: Week 1, equations', start: new Date('2026-04-14T16:00:00Z'), durationMinutes: 90, description: 'Join: https://zoom.example/w/1?tk=abc', url: 'https://zoom.example/w/1?tk=abc', location: 'Zoom' }],
      new Date('2026-04-01T00:00:00Z'),
    );
    expect(text.endsWith('\r\n')).toBe(true);
    const event = new ICAL.Event(new ICAL.Component(ICAL.parse(text)).getFirstSubcomponent('vevent')!);
    expect(event.summary).toBe('Algebra: Week 1, equations');
    expect(event.uid).toBe('u1@educonnect');
    expect(event.startDate.toJSDate().toISOString()).toBe('2026-04-14T16:00:00.000Z');
    expect(event.endDate.toJSDate().toISOString()).toBe('2026-04-14T17:30:00.000Z');
    expect(event.description).toBe('Join: https://zoom.example/w/1?tk=abc');
  });

  it('puts the join link in only once the registration is approved', () => {
    const enrollment: Enrollment = {
      id: 7,
      status: 'active',
      payment_id: 3,
      created_at: '2026-04-01T00:00:00Z',
      revoked_at: null,
      class: { id: 1, title: 'Algebra', description: '', price: '49.00', currency: 'USD' },
      webinars: [],
    };
    const webinar = { id: 2, topic: 'Week 1', start_time: '2026-04-14T16:00:00Z', duration: 60, timezone: 'UTC', registration: { status: 'pending', join_url: null, approved_at: null, updated_at: '' } };
    expect(webinarIcs(enrollment, webinar)).not.toContain('zoom.example');
    const approved = { ...webinar, registration: { status: 'approved', join_url: 'https://zoom.example/w/2', approved_at: null, updated_at: '' } };
    expect(webinarIcs(enrollment, approved)).toContain('URL:https://zoom.example/w/2');
    expect(webinarIcs(enrollment, { ...webinar, start_time: null })).toBeNull();
  });
});
