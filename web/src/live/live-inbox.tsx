import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { ApiError } from '../api/client';
import { useApi } from '../api/context';
import type { Notification } from '../api/types';
import { InboxStream, type StreamStatus } from './inbox-stream';

export type LiveEvent = { type: 'notification'; notification: Notification } | { type: 'resync' };

export interface LiveInboxValue {
  /** Unread notifications, or null until known. */
  unread: number | null;
  status: StreamStatus;
  /** The newest notification that arrived live (for the page's announcement). */
  latest: Notification | null;
  setUnread(count: number): void;
  subscribe(listener: (event: LiveEvent) => void): () => void;
}

const LiveInboxContext = createContext<LiveInboxValue | null>(null);

/** One live inbox stream per signed-in tab; the bell and the notifications page read from it. */
export function LiveInboxProvider({ children }: { children: ReactNode }) {
  const api = useApi();
  const [unread, setUnread] = useState<number | null>(null);
  const [status, setStatus] = useState<StreamStatus>('connecting');
  const [latest, setLatest] = useState<Notification | null>(null);
  const listeners = useRef(new Set<(event: LiveEvent) => void>());

  useEffect(() => {
    const controller = new AbortController();
    api.get<{ unread_count: number }>('/students/notifications/unread-count/', { signal: controller.signal }).then(
      (body) => setUnread((current) => current ?? body.unread_count),
      () => {},
    );
    const emit = (event: LiveEvent) => {
      for (const listener of listeners.current) listener(event);
    };
    const stream = new InboxStream(
      {
        notification: (notification) => {
          setLatest(notification);
          emit({ type: 'notification', notification });
        },
        unreadCount: setUnread,
        opened: () => emit({ type: 'resync' }),
        status: setStatus,
      },
      {
        getTicket: async () => (await api.post<{ ticket: string }>('/students/notifications/stream-ticket/')).ticket,
        isFatal: (error) => error instanceof ApiError && error.status === 401,
      },
    );
    stream.start();
    const online = () => stream.reconnectNow();
    window.addEventListener('online', online);
    return () => {
      controller.abort();
      window.removeEventListener('online', online);
      stream.stop();
    };
  }, [api]);

  const subscribe = useCallback((listener: (event: LiveEvent) => void) => {
    listeners.current.add(listener);
    return () => {
      listeners.current.delete(listener);
    };
  }, []);

  const value = useMemo<LiveInboxValue>(() => ({ unread, status, latest, setUnread, subscribe }), [unread, status, latest, subscribe]);
  return <LiveInboxContext.Provider value={value}>{children}</LiveInboxContext.Provider>;
}

export function useLiveInbox(): LiveInboxValue {
  const value = useContext(LiveInboxContext);
  if (!value) throw new Error('useLiveInbox outside <LiveInboxProvider>');
  return value;
}
