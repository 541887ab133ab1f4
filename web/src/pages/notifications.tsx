import { useCallback, useEffect, useRef, useState } from 'react';
import { Link } from 'react-router';
import { errorMessage } from '../api/client';
import { useApi } from '../api/context';
import type { Notification, NotificationList } from '../api/types';
import { Page } from '../components/page';
import { EmptyState, ErrorState, Loading } from '../components/states';
import { RelativeTime } from '../components/time';
import { useLiveInbox } from '../live/live-inbox';

const PAGE_SIZE = 20;

/** Newest first, each id once: live arrivals and pages merge into one list. */
export function mergeNotifications(current: Notification[], incoming: Notification[]): Notification[] {
  const byId = new Map(current.map((n) => [n.id, n]));
  for (const n of incoming) byId.set(n.id, { ...byId.get(n.id), ...n });
  return [...byId.values()].sort((a, b) => b.id - a.id);
}

function actionOf(n: Notification): { label: string; href: string; external: boolean } | null {
  if (!n.action_url) return null;
  const external = /^https?:\/\//.test(n.action_url);
  const label = n.type === 'webinar_approval' ? 'Join' : n.type === 'payment_rejected' ? 'See payment' : external ? 'Open' : 'View';
  return { label, href: n.action_url, external };
}

function NotificationItem({ n, onRead }: { n: Notification; onRead: (n: Notification) => void }) {
  const [open, setOpen] = useState(false);
  const action = actionOf(n);
  const longer = n.message.length > n.preview.length;
  return (
    <li className={`notification${n.is_read ? '' : ' notification-unread'}`}>
      <span className="unread-dot" aria-hidden="true" />
      <div className="notification-body">
        <h2 className="notification-title">
          {!n.is_read && <span className="visually-hidden">Unread: </span>}
          {n.title}
        </h2>
        <p className="notification-text">{open ? n.message : n.preview}</p>
        <p className="notification-meta">
          <RelativeTime iso={n.created_at} />
          {longer && (
            <button type="button" className="button link" aria-expanded={open} onClick={() => setOpen((o) => !o)}>
              {open ? 'Show less' : 'Read more'}
            </button>
          )}
        </p>
      </div>
      <div className="notification-actions">
        {action &&
          (action.external ? (
            <a className="button secondary small" href={action.href} target="_blank" rel="noopener noreferrer" onClick={() => !n.is_read && onRead(n)}>
              {action.label}
            </a>
          ) : (
            <Link className="button secondary small" to={action.href} onClick={() => !n.is_read && onRead(n)}>
              {action.label}
            </Link>
          ))}
        {!n.is_read && (
          <button type="button" className="button link small" onClick={() => onRead(n)} aria-label={`Mark “${n.title}” read`}>
            Mark read
          </button>
        )}
      </div>
    </li>
  );
}

export function NotificationsPage() {
  const api = useApi();
  const { unread, setUnread, subscribe } = useLiveInbox();
  const [items, setItems] = useState<Notification[] | null>(null);
  const [cursor, setCursor] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [moreError, setMoreError] = useState<unknown>(null);
  const [actionError, setActionError] = useState<unknown>(null);
  const [loadingMore, setLoadingMore] = useState(false);
  const [attempt, setAttempt] = useState(0);
  const sentinel = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    const controller = new AbortController();
    api.get<NotificationList>('/students/notifications/', { query: { limit: PAGE_SIZE }, signal: controller.signal }).then(
      (page) => {
        setItems((current) => mergeNotifications(current ?? [], page.notifications));
        setCursor(page.next_cursor);
        setUnread(page.unread_count);
        setError(null);
      },
      (err: unknown) => !controller.signal.aborted && setError(err),
    );
    return () => controller.abort();
  }, [api, setUnread, attempt]);

  // Live: new ones at the top; after a reconnect, the first page again for whatever was missed.
  useEffect(
    () =>
      subscribe((event) => {
        if (event.type === 'notification') setItems((current) => (current ? mergeNotifications(current, [event.notification]) : current));
        else
          void api.get<NotificationList>('/students/notifications/', { query: { limit: PAGE_SIZE } }).then(
            (page) => setItems((current) => (current ? mergeNotifications(current, page.notifications) : current)),
            () => {},
          );
      }),
    [api, subscribe],
  );

  const loadMore = useCallback(async () => {
    if (!cursor || loadingMore) return;
    setLoadingMore(true);
    setMoreError(null);
    try {
      const page = await api.get<NotificationList>('/students/notifications/', { query: { limit: PAGE_SIZE, cursor } });
      setItems((current) => mergeNotifications(current ?? [], page.notifications));
      setCursor(page.next_cursor);
    } catch (err) {
      setMoreError(err);
    } finally {
      setLoadingMore(false);
    }
  }, [api, cursor, loadingMore]);

  // Infinite scroll: the "Load more" button loads by itself when it scrolls into view.
  useEffect(() => {
    const target = sentinel.current;
    if (!target || typeof IntersectionObserver === 'undefined' || moreError) return;
    const observer = new IntersectionObserver((entries) => entries.some((e) => e.isIntersecting) && void loadMore(), { rootMargin: '200px' });
    observer.observe(target);
    return () => observer.disconnect();
  }, [loadMore, moreError, items]);

  async function markRead(n: Notification) {
    setActionError(null);
    setItems((current) => current && current.map((x) => (x.id === n.id ? { ...x, is_read: true } : x)));
    try {
      const result = await api.post<{ notification: Notification; unread_count: number }>(`/students/notifications/${n.id}/read/`);
      setUnread(result.unread_count);
    } catch (err) {
      setItems((current) => current && current.map((x) => (x.id === n.id ? { ...x, is_read: false } : x)));
      setActionError(err);
    }
  }

  async function markAllRead() {
    setActionError(null);
    try {
      const result = await api.post<{ marked_read: number; unread_count: number }>('/students/notifications/read-all/');
      setItems((current) => current && current.map((x) => ({ ...x, is_read: true })));
      setUnread(result.unread_count);
    } catch (err) {
      setActionError(err);
    }
  }

  const anyUnread = (unread ?? 0) > 0 || (items ?? []).some((n) => !n.is_read);
  return (
    <Page
      title="Notifications"
      actions={
        <>
          <button type="button" className="button secondary" onClick={() => void markAllRead()} disabled={!anyUnread}>
            Mark all read
          </button>
          <Link to="/notifications/preferences" className="button link">
            Preferences
          </Link>
        </>
      }
    >
      {actionError ? (
        <div className="alert alert-error" role="alert">
          {errorMessage(actionError)}
        </div>
      ) : null}
      {error && !items ? (
        <ErrorState error={error} onRetry={() => setAttempt((n) => n + 1)} />
      ) : !items ? (
        <Loading label="Loading notifications…" />
      ) : items.length === 0 ? (
        <EmptyState title="No notifications yet">
          <p>When a payment is verified or a class is ready to join, you will hear about it here — right away, no need to reload.</p>
        </EmptyState>
      ) : (
        <>
          <p className="muted small" aria-live="polite">
            {unread === null ? '' : unread === 0 ? 'All caught up.' : unread === 1 ? '1 unread' : `${unread} unread`}
          </p>
          <ul className="notification-list">
            {items.map((n) => (
              <NotificationItem key={n.id} n={n} onRead={(x) => void markRead(x)} />
            ))}
          </ul>
          {cursor ? (
            <div className="load-more">
              {moreError ? <p className="field-error">{errorMessage(moreError)}</p> : null}
              <button ref={sentinel} type="button" className="button secondary" onClick={() => void loadMore()} disabled={loadingMore}>
                {loadingMore ? 'Loading…' : moreError ? 'Try again' : 'Load more'}
              </button>
            </div>
          ) : (
            <p className="muted small list-end">That is everything.</p>
          )}
        </>
      )}
    </Page>
  );
}
