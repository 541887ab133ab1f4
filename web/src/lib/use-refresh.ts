import { useEffect, useRef } from 'react';
import { useLiveInbox } from '../live/live-inbox';

/**
 * Calls `refresh` every `intervalMs` while the page is visible, and at once when it becomes visible
 * again (a hidden tab does not poll).
 */
export function useVisibleInterval(refresh: () => void, intervalMs: number): void {
  const ref = useRef(refresh);
  useEffect(() => {
    ref.current = refresh;
  });
  useEffect(() => {
    let timer: ReturnType<typeof setInterval> | null = null;
    const start = () => {
      if (timer === null) timer = setInterval(() => ref.current(), intervalMs);
    };
    const stop = () => {
      if (timer !== null) clearInterval(timer);
      timer = null;
    };
    const onVisibility = () => {
      if (document.visibilityState === 'visible') {
        ref.current();
        start();
      } else stop();
    };
    if (document.visibilityState === 'visible') start();
    document.addEventListener('visibilitychange', onVisibility);
    return () => {
      stop();
      document.removeEventListener('visibilitychange', onVisibility);
    };
  }, [intervalMs]);
}

/** Calls `refresh` when the live stream delivers a notification (or reconnects after missing some). */
export function useLiveRefresh(refresh: () => void, accept: (type: string) => boolean = () => true): void {
  const { subscribe } = useLiveInbox();
  const ref = useRef({ refresh, accept });
  useEffect(() => {
    ref.current = { refresh, accept };
  });
  useEffect(
    () =>
      subscribe((event) => {
        if (event.type === 'resync' || ref.current.accept(event.notification.type)) ref.current.refresh();
      }),
    [subscribe],
  );
}
