import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Notification } from '../../web/src/api/types';
import { InboxStream, type EventSourceLike } from '../../web/src/live/inbox-stream';

class FakeEventSource implements EventSourceLike {
  onopen: ((event: Event) => void) | null = null;
  onerror: ((event: Event) => void) | null = null;
  closed = false;
  private listeners = new Map<string, Array<(event: MessageEvent<string>) => void>>();
  constructor(readonly url: string) {}
  addEventListener(type: string, listener: (event: MessageEvent<string>) => void) {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), listener]);
  }
  close() {
    this.closed = true;
  }
  emit(type: string, data: unknown) {
    for (const l of this.listeners.get(type) ?? []) l(new MessageEvent(type, { data: JSON.stringify(data) }));
  }
}

const note = (id: number): Notification => ({ id, type: 'class_enrollment', title: 'Class Enrollment Confirmed', message: 'm', preview: 'm', is_read: false, created_at: '2026-04-14T10:00:00Z', data: {}, action_url: null });

describe('InboxStream', () => {
  let sources: FakeEventSource[];
  let tickets: number;
  let received: { notifications: number[]; counts: number[]; opened: number; statuses: string[] };

  beforeEach(() => {
    vi.useFakeTimers();
    sources = [];
    tickets = 0;
    received = { notifications: [], counts: [], opened: 0, statuses: [] };
  });
  afterEach(() => vi.useRealTimers());

  function stream(getTicket = async () => `t${++tickets}`, isFatal?: (e: unknown) => boolean) {
    return new InboxStream(
      {
        notification: (n) => received.notifications.push(n.id),
        unreadCount: (c) => received.counts.push(c),
        opened: () => received.opened++,
        status: (s) => received.statuses.push(s),
      },
      {
        getTicket,
        isFatal,
        random: () => 1,
        createEventSource: (url) => {
          const source = new FakeEventSource(url);
          sources.push(source);
          return source;
        },
      },
    );
  }

  it('opens with a ticket and passes on notification and unread_count events', async () => {
    const s = stream();
    s.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(sources.map((x) => x.url)).toEqual(['/students/notifications/stream/?ticket=t1']);
    sources[0]!.onopen?.(new Event('open'));
    sources[0]!.emit('unread_count', { unread_count: 0 });
    sources[0]!.emit('notification', note(5));
    sources[0]!.emit('unread_count', { unread_count: 1 });
    sources[0]!.emit('notification', 'not json {');
    expect(received).toMatchObject({ notifications: [5], counts: [0, 1], opened: 1 });
    expect(received.statuses).toEqual(['connecting', 'live']);
    s.stop();
    expect(sources[0]!.closed).toBe(true);
  });

  it('on error closes the spent connection and reconnects with a fresh ticket after a growing delay', async () => {
    const s = stream();
    s.start();
    await vi.advanceTimersByTimeAsync(0);
    sources[0]!.onerror?.(new Event('error'));
    expect(sources[0]!.closed).toBe(true);
    await vi.advanceTimersByTimeAsync(999);
    expect(sources).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(sources.map((x) => x.url.split('=')[1])).toEqual(['t1', 't2']);
    sources[1]!.onerror?.(new Event('error'));
    await vi.advanceTimersByTimeAsync(1999);
    expect(sources).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(1);
    expect(sources).toHaveLength(3);
    // Connected again: the delay starts over, and listeners are told to catch up.
    sources[2]!.onopen?.(new Event('open'));
    expect(received.opened).toBe(1);
    sources[2]!.onerror?.(new Event('error'));
    await vi.advanceTimersByTimeAsync(1000);
    expect(sources).toHaveLength(4);
    s.stop();
  });

  it('caps the delay, retries when a ticket cannot be had, and stops for good on a fatal error', async () => {
    expect(stream().delay(10)).toBe(30_000);
    let fail = true;
    const s = stream(async () => {
      if (fail) throw new Error('offline');
      return 'ok';
    });
    s.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(sources).toHaveLength(0);
    fail = false;
    await vi.advanceTimersByTimeAsync(1000);
    expect(sources).toHaveLength(1);
    s.stop();

    const fatal = stream(async () => Promise.reject(new Error('signed out')), () => true);
    fatal.start();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(received.statuses.at(-1)).toBe('stopped');
  });

  it('does not open a connection after stop, even if the ticket arrives late', async () => {
    let release: (t: string) => void = () => {};
    const s = stream(() => new Promise<string>((resolve) => (release = resolve)));
    s.start();
    s.stop();
    release('late');
    await vi.advanceTimersByTimeAsync(0);
    expect(sources).toHaveLength(0);
  });
});
