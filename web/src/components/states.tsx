import type { ReactNode } from 'react';
import { ApiError, errorMessage } from '../api/client';

export function Loading({ label = 'Loading…' }: { label?: string }) {
  return (
    <p className="state state-loading" role="status">
      <span className="spinner" aria-hidden="true" />
      {label}
    </p>
  );
}

/** The server's message, its request id (for a support request) and a way to try again. */
export function ErrorState({ error, onRetry, title = 'This could not be loaded' }: { error: unknown; onRetry?: () => void; title?: string }) {
  const requestId = error instanceof ApiError ? error.requestId : undefined;
  return (
    <div className="state state-error" role="alert">
      <p className="state-title">{title}</p>
      <p>{errorMessage(error)}</p>
      {requestId && <p className="muted small">Reference: {requestId}</p>}
      {onRetry && (
        <button type="button" className="button secondary" onClick={onRetry}>
          Try again
        </button>
      )}
    </div>
  );
}

export function EmptyState({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="state state-empty">
      <p className="state-title">{title}</p>
      {children}
    </div>
  );
}

/** An error answer to a form, shown where the person is looking; when its fields show the details, a summary. */
export function FormError({ error, fieldErrors }: { error: unknown; fieldErrors?: Record<string, string> }) {
  if (!error) return null;
  const count = fieldErrors ? Object.keys(fieldErrors).length : 0;
  return (
    <div className="alert alert-error" role="alert">
      {count > 0 ? (count === 1 ? 'One field needs your attention: see below.' : `${count} fields need your attention: see below.`) : errorMessage(error)}
    </div>
  );
}
