import pg from 'pg';
import type { Logger } from 'pino';
import type { Database } from '../db/database.js';
import type { InboxService } from './inbox.js';
import { presentNotification } from './inbox.js';
import { INBOX_CHANNEL } from './signal.js';

/** One open stream (a browser tab): where to write, and what it has already been told. */
export interface InboxSink {
  userId: number;
  lastSentId: number;
  lastUnreadCount: number | undefined;
  send(event: { id?: string; event: 'notification' | 'unread_count'; data: unknown }): Promise<void>;
}

export type InboxHub = Awaited<ReturnType<typeof startInboxHub>>;

/**
 * Fans inbox changes out to the open streams of this process. Every process LISTENs on one
 * PostgreSQL channel (PGlite has the same LISTEN/NOTIFY), so a notification committed by any API
 * or worker process reaches every tab of its user, wherever that tab is connected.
 */
export async function startInboxHub(database: Database, options: { databaseUrl?: string; inbox: InboxService; logger: Logger }) {
  const { inbox, logger } = options;
  const sinks = new Map<number, Set<InboxSink>>();
  // Per sink, one refresh at a time, so events leave in order and none is sent twice.
  const chains = new WeakMap<InboxSink, Promise<void>>();

  async function refreshSink(sink: InboxSink) {
    for (;;) {
      const rows = await inbox.since(sink.userId, sink.lastSentId);
      for (const row of rows) {
        await sink.send({ id: String(row.id), event: 'notification', data: presentNotification(row) });
        sink.lastSentId = row.id;
      }
      if (rows.length < 100) break;
    }
    const count = await inbox.unreadCount(sink.userId);
    if (count !== sink.lastUnreadCount) {
      sink.lastUnreadCount = count;
      await sink.send({ event: 'unread_count', data: { unread_count: count } });
    }
  }

  function refresh(sink: InboxSink): Promise<void> {
    const next = (chains.get(sink) ?? Promise.resolve())
      .then(() => refreshSink(sink))
      .catch((err: unknown) => logger.warn({ err, userId: sink.userId }, 'inbox stream refresh failed'));
    chains.set(sink, next);
    return next;
  }

  function onSignal(payload: string | undefined) {
    try {
      const { u } = JSON.parse(payload ?? '{}') as { u?: number[] };
      for (const userId of u ?? []) for (const sink of sinks.get(userId) ?? []) void refresh(sink);
    } catch (err) {
      logger.warn({ err }, 'unreadable inbox signal');
    }
  }

  let stopListening: () => Promise<void>;
  if (database.kind === 'pglite') {
    stopListening = await database.pglite!.listen(INBOX_CHANNEL, onSignal);
  } else {
    // A dedicated connection: LISTEN holds its session, so it cannot come from the pool.
    const client = new pg.Client({ connectionString: options.databaseUrl, application_name: 'educonnect-inbox' });
    client.on('notification', (msg) => onSignal(msg.payload));
    client.on('error', (err) => logger.error({ err }, 'inbox listener connection lost; live updates resume on restart'));
    await client.connect();
    await client.query(`LISTEN ${INBOX_CHANNEL}`);
    stopListening = () => client.end();
  }

  return {
    /** Registers a stream and brings it up to date (resume after `lastSentId`, then the count). */
    async subscribe(sink: InboxSink): Promise<() => void> {
      if (!sinks.has(sink.userId)) sinks.set(sink.userId, new Set());
      sinks.get(sink.userId)!.add(sink);
      await refresh(sink);
      return () => {
        const set = sinks.get(sink.userId);
        set?.delete(sink);
        if (set?.size === 0) sinks.delete(sink.userId);
      };
    },
    connections: () => [...sinks.values()].reduce((n, s) => n + s.size, 0),
    stop: () => stopListening(),
  };
}
