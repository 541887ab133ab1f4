import { useCallback, useEffect, useRef, useState } from 'react';

export interface Resource<T> {
  data: T | undefined;
  error: unknown;
  /** True while the current load runs (data may still hold the previous answer). */
  loading: boolean;
  reload: () => void;
  /** Change the loaded data in place (after an action answered with the new state). */
  setData: (update: (data: T) => T) => void;
}

interface Result<T> {
  key: string;
  data: T | undefined;
  error: unknown;
}

/**
 * Loads something for a page and keeps it; `key` names what is loaded (change it to load another
 * thing). A load that is no longer wanted is aborted and its answer ignored.
 */
export function useResource<T>(key: string, load: (signal: AbortSignal) => Promise<T>): Resource<T> {
  const loadRef = useRef(load);
  const [version, setVersion] = useState(0);
  const [result, setResult] = useState<Result<T> | null>(null);
  const fullKey = `${key}#${version}`;

  useEffect(() => {
    loadRef.current = load;
  });

  useEffect(() => {
    const controller = new AbortController();
    loadRef.current(controller.signal).then(
      (data) => {
        if (!controller.signal.aborted) setResult({ key: fullKey, data, error: undefined });
      },
      (error: unknown) => {
        if (!controller.signal.aborted) setResult((previous) => ({ key: fullKey, data: previous?.data, error }));
      },
    );
    return () => controller.abort();
  }, [fullKey]);

  const reload = useCallback(() => setVersion((v) => v + 1), []);
  const setData = useCallback((update: (data: T) => T) => {
    setResult((previous) => (previous?.data === undefined ? previous : { ...previous, data: update(previous.data) }));
  }, []);

  return { data: result?.data, error: result?.key === fullKey ? result.error : undefined, loading: result?.key !== fullKey, reload, setData };
}
