import type { ReactNode } from 'react';
import type { ApprovalAnswer } from '../api/types';
import { REGISTRATION_STATUS_BADGE } from '../lib/admin-words';

export type Outcome = { ok: boolean; text: ReactNode };

/** The answer to the last action, read out politely; an empty region stays in place so it is announced. */
export function OutcomeMessage({ outcome }: { outcome: Outcome | null }) {
  return (
    <div className="outcome" role="status" aria-live="polite">
      {outcome && <div className={`alert ${outcome.ok ? 'alert-success' : 'alert-error'}`}>{outcome.text}</div>}
    </div>
  );
}

export function StatusBadge({ status }: { status: string }) {
  return <span className={`badge badge-${REGISTRATION_STATUS_BADGE[status] ?? 'muted'}`}>{status}</span>;
}

/** Previous / next over a DRF page. */
export function Pager({ page, pageSize, count, onPage, label }: { page: number; pageSize: number; count: number; onPage: (page: number) => void; label: string }) {
  const pages = Math.max(1, Math.ceil(count / pageSize));
  if (pages <= 1) return null;
  return (
    <nav className="pager" aria-label={label}>
      <button type="button" className="button secondary small" disabled={page <= 1} onClick={() => onPage(page - 1)}>
        Previous
      </button>
      <span>
        Page {page} of {pages}
      </span>
      <button type="button" className="button secondary small" disabled={page >= pages} onClick={() => onPage(page + 1)}>
        Next
      </button>
    </nav>
  );
}

/** A running action: an indeterminate progress bar with what is happening. */
export function Working({ label }: { label: string }) {
  return (
    <div className="working" role="status">
      <progress aria-label={label} />
      <span>{label}</span>
    </div>
  );
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** What approve-now or reconcile did: totals first, then each webinar's details. */
export function ApprovalReport({ answer, title }: { answer: ApprovalAnswer; title: string }) {
  const t = answer.totals;
  const touched = answer.webinars.filter((w) => w.approved.length || w.skipped_unpaid.length || w.failed.length || w.repaired.length);
  return (
    <section className="card approval-report" aria-label={title}>
      <h3>{title}</h3>
      <ul className="stat-row" aria-label="Totals">
        <li className="stat stat-success">
          <span className="stat-value">{t.approved}</span> approved
        </li>
        <li className="stat">
          <span className="stat-value">{t.skipped_unpaid}</span> skipped as unpaid
        </li>
        <li className={`stat${t.failed ? ' stat-danger' : ''}`}>
          <span className="stat-value">{t.failed}</span> failed
        </li>
        <li className="stat">
          <span className="stat-value">{t.repaired}</span> repaired
        </li>
      </ul>
      <p className="muted small">
        Checked {plural(answer.webinars.length, 'webinar')} in Zoom.
        {touched.length === 0 && answer.errors.length === 0 && ' Nothing was waiting.'}
      </p>
      {answer.errors.map((e) => (
        <p key={e.webinar_id} className="alert alert-error">
          Webinar {e.webinar_id}: {e.error}
        </p>
      ))}
      {touched.map((w) => (
        <details key={w.webinar_id} className="approval-webinar" open={touched.length === 1}>
          <summary>
            <strong>{w.topic}</strong> <span className="muted small">(Zoom {w.webinar_id})</span>: {w.approved.length} approved, {w.skipped_unpaid.length} skipped as unpaid, {w.failed.length} failed
            {w.repaired.length ? `, ${w.repaired.length} repaired` : ''}
          </summary>
          <ul className="plain-list small">
            {w.approved.map((a) => (
              <li key={`a${a.registration_id}`}>Approved: {a.email}</li>
            ))}
            {w.skipped_unpaid.map((s) => (
              <li key={`s${s.registrant_id}`}>Skipped (not paid in EduConnect): {s.email}</li>
            ))}
            {w.failed.map((f) => (
              <li key={`f${f.registration_id}`} className="status-problem">
                Failed: {f.email} — {f.reason}
              </li>
            ))}
            {w.repaired.map((r) => (
              <li key={`r${r.registration_id}`}>
                Repaired registration #{r.registration_id}: {r.change}
              </li>
            ))}
          </ul>
        </details>
      ))}
    </section>
  );
}
