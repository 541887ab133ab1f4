import type { Notification } from '../api/types';

export type StreamStatus = 'connecting' | 'live' | 'reconnecting' | 'stopped';

export interface InboxStreamHandlers {
  notification(notification: Notification): void;
  unreadCount(count: number): void;
  /** Connected (again): anything that happened while disconnected should be fetched now. */
  opened?(): void;
  status?(status: StreamStatus): void;
}

/** The part of EventSource used here (so tests can hand in a fake). */
export interface EventSourceLike {
  addEventListener(type: string, listener: (event: MessageEvent<string>) => void): void;
  onopen: ((event: Event) => void) | null;
  onerror: ((event: Event) => void) | null;
  close(): void;
}

export interface InboxStreamOptions {
  /** A fresh single-use ticket (POST /students/notifications/stream-ticket/). Throwing `stop` ends the stream (signed out). */
  getTicket(): Promise<string>;
  /** Should a ticket failure end the stream rather than be retried (e.g. the session is over)? */
  isFatal?(error: unknown): boolean;
  createEventSource?(url: string): EventSourceLike;
  url?(ticket: string): string;
  initialDelayMs?: number;
  maxDelayMs?: number;
  random?(): number;
}

/**
 * The live inbox over Server-Sent Events. EventSource cannot send an Authorization header, so each
 * connection is opened with a single-use ticket; when the connection fails, EventSource's own retry
 * would reuse the spent ticket, so the stream closes it, waits (exponential backoff with jitter,
 * reset once connected) and connects again with a new ticket.
 */
export class InboxStream {
  private source: EventSourceLike | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private attempt = 0;
  private stopped = true;
  private generation = 0;

  constructor(
    private readonly handlers: InboxStreamHandlers,
    private readonly options: InboxStreamOptions,
  ) {}

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.attempt = 0;
    void this.connect();
  }

  stop(): void {
    this.stopped = true;
    this.generation++;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.source?.close();
    this.source = null;
    this.handlers.status?.('stopped');
  }

  /** Reconnect now instead of waiting out the backoff (the browser came back online). */
  reconnectNow(): void {
    if (this.stopped || this.source) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    void this.connect();
  }

  /** The delay before reconnect attempt `attempt` (0-based): 1 s, 2 s, 4 s … up to the maximum, from half to all of it. */
  delay(attempt: number): number {
    const base = Math.min(this.options.maxDelayMs ?? 30_000, (this.options.initialDelayMs ?? 1_000) * 2 ** attempt);
    return Math.round(base * (0.5 + 0.5 * (this.options.random ?? Math.random)()));
  }

  private async connect(): Promise<void> {
    const generation = ++this.generation;
    this.handlers.status?.(this.attempt === 0 ? 'connecting' : 'reconnecting');
    let ticket: string;
    try {
      ticket = await this.options.getTicket();
    } catch (error) {
      if (generation !== this.generation) return;
      if (this.options.isFatal?.(error)) return this.stop();
      return this.retryLater();
    }
    if (generation !== this.generation) return;
    const url = this.options.url ? this.options.url(ticket) : `/students/notifications/stream/?ticket=${encodeURIComponent(ticket)}`;
    const source = this.options.createEventSource ? this.options.createEventSource(url) : (new EventSource(url) as EventSourceLike);
    this.source = source;
    source.onopen = () => {
      this.attempt = 0;
      this.handlers.status?.('live');
      this.handlers.opened?.();
    };
    source.onerror = () => {
      if (this.source !== source) return;
      source.close();
      this.source = null;
      this.retryLater();
    };
    source.addEventListener('notification', (event) => {
      const notification = parse<Notification>(event.data);
      if (notification && typeof notification.id === 'number') this.handlers.notification(notification);
    });
    source.addEventListener('unread_count', (event) => {
      const body = parse<{ unread_count: number }>(event.data);
      if (body && typeof body.unread_count === 'number') this.handlers.unreadCount(body.unread_count);
    });
  }

  private retryLater(): void {
    if (this.stopped) return;
    const wait = this.delay(this.attempt);
    this.attempt++;
    this.handlers.status?.('reconnecting');
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.connect();
    }, wait);
  }
}

function parse<T>(data: string): T | null {
  try {
    return JSON.parse(data) as T;
  } catch {
    return null;
  }
}
