import { useCallback, useEffect, useRef, useState, type ReactNode } from 'react';
import { Link, useSearchParams } from 'react-router';
import { errorMessage } from '../../api/client';
import { useApi } from '../../api/context';
import type { AdminRegistration, ApprovalAnswer, Page as ApiPage, PendingStatus, WebinarPipelineStatus } from '../../api/types';
import { ApprovalReport, OutcomeMessage, Pager, StatusBadge, Working, type Outcome } from '../../components/admin';
import { Page } from '../../components/page';
import { EmptyState, ErrorState, Loading } from '../../components/states';
import { DateTime, RelativeTime } from '../../components/time';
import { failureFix, failureLabel, formatSeconds } from '../../lib/admin-words';
import { useLiveRefresh, useVisibleInterval } from '../../lib/use-refresh';
import { useResource } from '../../lib/use-resource';

const STATUSES: Array<{ value: string; label: string }> = [
  { value: '', label: 'All statuses' },
  { value: 'failed', label: 'Failed' },
  { value: 'queued', label: 'Queued' },
  { value: 'pending', label: 'Pending in Zoom' },
  { value: 'approved', label: 'Approved' },
  { value: 'denied', label: 'Denied' },
  { value: 'cancelled', label: 'Cancelled' },
];
const PAGE_SIZE = 25;
/** The counts ask Zoom about every upcoming webinar: often enough to feel live, rarely enough for Zoom's limits. */
const REFRESH_MS = 20_000;

type Action = { kind: 'approve-all' } | { kind: 'approve'; webinar: WebinarPipelineStatus } | { kind: 'reconcile' };

function Count({ label, value, tone, children }: { label: string; value: number | string; tone?: 'success' | 'danger' | 'warning'; children?: ReactNode }) {
  return (
    <div className={`count${tone && value !== 0 ? ` count-${tone}` : ''}`}>
      <dt>{label}</dt>
      <dd>
        <span className="count-value">{value}</span>
        {children}
      </dd>
    </div>
  );
}

function WebinarCounts({ w, busy, onApprove, onShowFailed }: { w: WebinarPipelineStatus; busy: boolean; onApprove: () => void; onShowFailed: () => void }) {
  const titleId = `pipeline-${w.id}`;
  const waits = w.verify_to_approved;
  return (
    <section className="card pipeline-card" aria-labelledby={titleId}>
      <div className="card-head">
        <div>
          <h3 id={titleId}>{w.topic}</h3>
          <p className="muted small">{w.start_time ? <DateTime iso={w.start_time} /> : 'Recurring'} · Zoom {w.webinar_id}</p>
        </div>
        <button type="button" className="button secondary small" onClick={onApprove} disabled={busy}>
          Approve pending now
        </button>
      </div>
      <dl className="counts">
        <Count label="Queued" value={w.queued} />
        <Count label="Pending, paid" value={w.pending_in_zoom?.paid ?? '?'} tone="warning" />
        <Count label="Pending, unpaid" value={w.pending_in_zoom?.unpaid ?? '?'} />
        <Count label="Approved" value={w.approved} tone="success" />
        <Count label="Failed" value={w.failed} tone="danger">
          {w.failed > 0 && (
            <button type="button" className="button link small" onClick={onShowFailed}>
              Show
            </button>
          )}
        </Count>
      </dl>
      {w.zoom_error && <p className="alert alert-error small">Zoom did not answer for its pending list: {w.zoom_error}</p>}
      <p className="muted small">
        {w.denied > 0 && `${w.denied} denied · `}
        {w.cancelled > 0 && `${w.cancelled} cancelled · `}
        {waits.approved_count > 0 ? `Verify → approved: median ${formatSeconds(waits.p50_seconds)}, p90 ${formatSeconds(waits.p90_seconds)} over ${waits.approved_count}` : 'No approvals yet'}
      </p>
    </section>
  );
}

function RegistrationRow({ r, busy, onRetry }: { r: AdminRegistration; busy: boolean; onRetry: () => void }) {
  const failed = r.status === 'failed';
  return (
    <tr className={failed ? 'row-problem' : undefined}>
      <th scope="row" data-label="Student">
        <span id={`reg-${r.id}-who`}>{r.student.name || r.student.username}</span>
        <span className="muted small block">
          {r.student.username} · {r.student.email}
        </span>
      </th>
      <td data-label="Webinar">{r.webinar.topic}</td>
      <td data-label="Status">
        <StatusBadge status={r.status} />
        {failed && (
          <div className="failure">
            <p>
              <strong>{failureLabel(r.failure_code)}</strong>
              {r.failure_code && <span className="muted small"> ({r.failure_code})</span>}
            </p>
            {r.last_error && <p className="small">{r.last_error}</p>}
            <p className="small muted">{failureFix(r.failure_code)}</p>
          </div>
        )}
        {!failed && r.last_error && <p className="small muted">Last problem: {r.last_error}</p>}
      </td>
      <td data-label="Attempts">{r.attempts}</td>
      <td data-label="Updated">
        <RelativeTime iso={r.updated_at} />
      </td>
      <td data-label="Action">
        {failed ? (
          <button type="button" className="button primary small" onClick={onRetry} disabled={busy} aria-describedby={`reg-${r.id}-who`}>
            Retry
          </button>
        ) : r.join_url ? (
          <a href={r.join_url} target="_blank" rel="noopener noreferrer" className="small">
            Join link
          </a>
        ) : null}
      </td>
    </tr>
  );
}

/**
 * Admin: the registration pipeline. Per upcoming webinar the counts (refreshed when a notification
 * arrives and every 20 s while the page is visible), Approve pending now, Reconcile now; the
 * registrations themselves, filtered and searched, failed ones with their reason and Retry.
 */
export function RegistrationsPage() {
  const api = useApi();
  const [params, setParams] = useSearchParams();
  const status = params.get('status') ?? '';
  const webinar = params.get('webinar') ?? '';
  const q = params.get('q') ?? '';
  const page = Math.max(1, Number(params.get('page') ?? '1') || 1);
  const [search, setSearch] = useState(q);
  const [updatedAt, setUpdatedAt] = useState<number | null>(null);

  const board = useResource('pending-status', async (signal) => {
    const answer = await api.get<PendingStatus>('/edu_admin/webinar-pending-status/', { signal });
    setUpdatedAt(Date.now());
    return answer;
  });
  const list = useResource(`registrations-${status}-${webinar}-${q}-${page}`, (signal) =>
    api.get<ApiPage<AdminRegistration>>('/edu_admin/registrations/', { query: { status, webinar, q, page, page_size: PAGE_SIZE }, signal }),
  );
  const { reload: reloadBoard } = board;
  const { reload: reloadList } = list;
  const refresh = useCallback(() => {
    reloadBoard();
    reloadList();
  }, [reloadBoard, reloadList]);
  useLiveRefresh(refresh);
  useVisibleInterval(refresh, REFRESH_MS);

  // After an action the pipeline works on in the background: look again soon, a few times.
  const followUps = useRef<Array<ReturnType<typeof setTimeout>>>([]);
  const followUp = useCallback(() => {
    for (const t of followUps.current.splice(0)) clearTimeout(t);
    followUps.current = [1_000, 3_000, 8_000].map((ms) => setTimeout(refresh, ms));
  }, [refresh]);
  useEffect(() => () => followUps.current.forEach(clearTimeout), []);

  // The search box updates the address (and so the list) once typing pauses.
  useEffect(() => {
    if (search.trim() === q) return;
    const timer = setTimeout(() => setFilter({ q: search.trim() }), 300);
    return () => clearTimeout(timer);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- only the typed text starts a search
  }, [search]);

  // The address as it is now: a search typed before a newer filter choice must not undo that choice
  // when its (debounced) turn comes.
  const latestParams = useRef(params);
  useEffect(() => {
    latestParams.current = params;
  }, [params]);

  /** Changes some filters, keeping the others. */
  function setFilter(change: Partial<Record<'status' | 'webinar' | 'q' | 'page', string>>) {
    const next = new URLSearchParams(latestParams.current);
    for (const [key, value] of Object.entries(change)) {
      if (value) next.set(key, value);
      else next.delete(key);
    }
    if (!('page' in change)) next.delete('page');
    latestParams.current = next;
    setParams(next, { replace: true });
  }

  const [running, setRunning] = useState<Action | null>(null);
  const [report, setReport] = useState<{ title: string; answer: ApprovalAnswer } | null>(null);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [retrying, setRetrying] = useState<number | null>(null);

  async function run(action: Action) {
    if (running) return;
    setRunning(action);
    setOutcome(null);
    setReport(null);
    try {
      const answer =
        action.kind === 'approve-all'
          ? await api.post<ApprovalAnswer>('/edu_admin/approve-all-webinar-registrations/')
          : action.kind === 'approve'
            ? await api.post<ApprovalAnswer>('/edu_admin/approve-webinar-registrations/', { json: { webinar_id: action.webinar.webinar_id } })
            : await api.post<ApprovalAnswer>('/edu_admin/reconcile/');
      const title = action.kind === 'reconcile' ? 'Reconciliation with Zoom' : action.kind === 'approve' ? `Approve pending now: ${action.webinar.topic}` : 'Approve pending now: all upcoming webinars';
      setReport({ title, answer });
      const t = answer.totals;
      setOutcome({
        ok: answer.errors.length === 0 && t.failed === 0,
        text:
          action.kind === 'reconcile'
            ? `Reconciled: ${t.repaired} repaired, ${t.approved} approved, ${t.skipped_unpaid} skipped as unpaid, ${t.failed} failed.`
            : `Done: ${t.approved} approved, ${t.skipped_unpaid} skipped as unpaid, ${t.failed} failed.`,
      });
      refresh();
    } catch (err) {
      setOutcome({ ok: false, text: `${action.kind === 'reconcile' ? 'Reconciliation' : 'Approval'} did not run: ${errorMessage(err)}` });
    } finally {
      setRunning(null);
    }
  }

  async function retry(r: AdminRegistration) {
    setRetrying(r.id);
    setOutcome(null);
    try {
      const answer = await api.post<{ id: number; status: string }>(`/edu_admin/registrations/${r.id}/retry/`);
      list.setData((p) => ({ ...p, results: p.results.map((x) => (x.id === r.id ? { ...x, status: answer.status, failure_code: null } : x)) }));
      setOutcome({ ok: true, text: `Retrying ${r.student.name || r.student.username} for “${r.webinar.topic}”: ${answer.status === 'pending' ? 'Zoom has them; approving' : 'registering in Zoom again'}.` });
      followUp();
    } catch (err) {
      setOutcome({ ok: false, text: `Not retried: ${errorMessage(err)}` });
    } finally {
      setRetrying(null);
    }
  }

  const webinars = board.data?.webinars ?? [];
  const totals = board.data?.totals;
  const runningLabel = !running
    ? null
    : running.kind === 'reconcile'
      ? 'Reconciling every upcoming webinar with Zoom…'
      : running.kind === 'approve'
        ? `Approving the paid pending registrants of “${running.webinar.topic}” in Zoom…`
        : 'Approving the paid pending registrants of every upcoming webinar in Zoom…';

  return (
    <Page
      title="Registrations"
      wide
      actions={
        <>
          <button type="button" className="button primary" onClick={() => void run({ kind: 'approve-all' })} disabled={running !== null}>
            Approve pending now for all webinars
          </button>
          <button type="button" className="button secondary" onClick={() => void run({ kind: 'reconcile' })} disabled={running !== null}>
            Reconcile now
          </button>
        </>
      }
    >
      <p className="lead">
        Every paid student is registered in Zoom and approved automatically. Here you see where each one is, fix what failed and retry, or run the approval and the comparison with Zoom at once.
      </p>
      {runningLabel && <Working label={runningLabel} />}
      <OutcomeMessage outcome={outcome} />
      {report && <ApprovalReport title={report.title} answer={report.answer} />}

      <section aria-labelledby="pipeline-title" className="stack page-section">
        <div className="section-head">
          <h2 id="pipeline-title">Upcoming webinars</h2>
          <p className="muted small" aria-live="off">
            {board.loading && board.data ? 'Refreshing…' : updatedAt ? `Updated ${new Date(updatedAt).toLocaleTimeString()}` : ''}
            {' · '}updates live
          </p>
        </div>
        {totals && webinars.length > 1 && (
          <dl className="counts counts-total" aria-label="All upcoming webinars">
            <Count label="Queued" value={totals.queued ?? 0} />
            <Count label="Pending, paid" value={totals.zoom_pending_paid ?? 0} tone="warning" />
            <Count label="Pending, unpaid" value={totals.zoom_pending_unpaid ?? 0} />
            <Count label="Approved" value={totals.approved ?? 0} tone="success" />
            <Count label="Failed" value={totals.failed ?? 0} tone="danger" />
          </dl>
        )}
        {board.error && !board.data ? (
          <ErrorState error={board.error} onRetry={board.reload} />
        ) : !board.data ? (
          <Loading label="Asking Zoom about upcoming webinars…" />
        ) : webinars.length === 0 ? (
          <EmptyState title="No upcoming webinars">
            <p>
              Link a Zoom webinar to a class on the <Link to="/admin/classes">Classes</Link> page.
            </p>
          </EmptyState>
        ) : (
          <div className="pipeline-grid">
            {webinars.map((w) => (
              <WebinarCounts key={w.id} w={w} busy={running !== null} onApprove={() => void run({ kind: 'approve', webinar: w })} onShowFailed={() => setFilter({ status: 'failed', webinar: String(w.id) })} />
            ))}
          </div>
        )}
        {board.error && board.data ? <p className="field-error">Could not refresh: {errorMessage(board.error)}</p> : null}
      </section>

      <section aria-labelledby="list-title" className="stack page-section">
        <h2 id="list-title">Students’ registrations</h2>
        <form className="filters" role="search" aria-label="Filter registrations" onSubmit={(e) => e.preventDefault()}>
          <div className="field">
            <label htmlFor="reg-status">Status</label>
            <select id="reg-status" value={status} onChange={(e) => setFilter({ status: e.target.value })}>
              {STATUSES.map((s) => (
                <option key={s.value} value={s.value}>
                  {s.label}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="reg-webinar">Webinar</label>
            <select id="reg-webinar" value={webinar} onChange={(e) => setFilter({ webinar: e.target.value })}>
              <option value="">All webinars</option>
              {webinars.map((w) => (
                <option key={w.id} value={String(w.id)}>
                  {w.topic}
                </option>
              ))}
              {webinar && !webinars.some((w) => String(w.id) === webinar) && <option value={webinar}>Webinar #{webinar}</option>}
            </select>
          </div>
          <div className="field field-grow">
            <label htmlFor="reg-search">Search students</label>
            <input id="reg-search" type="search" placeholder="Name, username or email" value={search} onChange={(e) => setSearch(e.target.value)} />
          </div>
        </form>
        {list.error && !list.data ? (
          <ErrorState error={list.error} onRetry={list.reload} />
        ) : !list.data ? (
          <Loading label="Loading registrations…" />
        ) : list.data.results.length === 0 ? (
          <EmptyState title={status || webinar || q ? 'No registrations match' : 'No registrations yet'}>
            <p>{status || webinar || q ? 'Try another status, webinar or search.' : 'They appear as soon as a payment is verified.'}</p>
            {(status || webinar || q) && (
              <button
                type="button"
                className="button secondary"
                onClick={() => {
                  setSearch('');
                  setParams({}, { replace: true });
                }}
              >
                Clear filters
              </button>
            )}
          </EmptyState>
        ) : (
          <>
            <p className="muted small" role="status">
              {list.data.count} {list.data.count === 1 ? 'registration' : 'registrations'}
            </p>
            <div className="table-wrap">
              <table className="data-table responsive-table">
                <caption className="visually-hidden">Registrations</caption>
                <thead>
                  <tr>
                    <th scope="col">Student</th>
                    <th scope="col">Webinar</th>
                    <th scope="col">Status</th>
                    <th scope="col">Attempts</th>
                    <th scope="col">Updated</th>
                    <th scope="col">
                      <span className="visually-hidden">Action</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {list.data.results.map((r) => (
                    <RegistrationRow key={r.id} r={r} busy={retrying !== null} onRetry={() => void retry(r)} />
                  ))}
                </tbody>
              </table>
            </div>
            <Pager page={page} pageSize={PAGE_SIZE} count={list.data.count} onPage={(p) => setFilter({ page: String(p) })} label="Registration pages" />
          </>
        )}
      </section>
    </Page>
  );
}
