import { useState } from 'react';
import { useSearchParams } from 'react-router';
import { errorMessage } from '../../api/client';
import { useApi } from '../../api/context';
import type { Delivery, Page as ApiPage } from '../../api/types';
import { OutcomeMessage, Pager, type Outcome } from '../../components/admin';
import { Page } from '../../components/page';
import { EmptyState, ErrorState, Loading } from '../../components/states';
import { RelativeTime } from '../../components/time';
import { useVisibleInterval } from '../../lib/use-refresh';
import { useResource } from '../../lib/use-resource';

const FILTERS: Array<{ status: string; label: string }> = [
  { status: '', label: 'All' },
  { status: 'failed', label: 'Failed' },
  { status: 'queued', label: 'Queued' },
  { status: 'sending', label: 'Sending' },
  { status: 'sent', label: 'Sent' },
  { status: 'skipped', label: 'Skipped' },
];
const BADGE: Record<string, string> = { queued: 'muted', sending: 'warning', sent: 'success', failed: 'danger', skipped: 'muted' };
const PAGE_SIZE = 50;

/** Admin: every email EduConnect sent or tried to, newest first; a failed one can be sent again. */
export function EmailLogPage() {
  const api = useApi();
  const [params, setParams] = useSearchParams();
  const status = FILTERS.find((f) => f.status === params.get('status'))?.status ?? '';
  const page = Math.max(1, Number(params.get('page') ?? '1') || 1);
  const list = useResource(`deliveries-${status}-${page}`, (signal) => api.get<ApiPage<Delivery>>('/edu_admin/notification-deliveries/', { query: { status, page, page_size: PAGE_SIZE }, signal }));
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [retrying, setRetrying] = useState<number | null>(null);
  useVisibleInterval(list.reload, 15_000);

  async function retry(d: Delivery) {
    setRetrying(d.id);
    setOutcome(null);
    try {
      const updated = await api.post<Delivery>(`/edu_admin/notification-deliveries/${d.id}/retry/`);
      list.setData((p) => ({ ...p, results: p.results.map((x) => (x.id === d.id ? updated : x)) }));
      setOutcome({ ok: true, text: `“${d.title}” to ${d.recipient} is queued to be sent again.` });
      setTimeout(list.reload, 2_000);
    } catch (err) {
      setOutcome({ ok: false, text: `Not retried: ${errorMessage(err)}` });
    } finally {
      setRetrying(null);
    }
  }

  return (
    <Page
      title="Email log"
      wide
      actions={
        <button type="button" className="button secondary" onClick={list.reload} disabled={list.loading}>
          {list.loading && list.data ? 'Refreshing…' : 'Refresh'}
        </button>
      }
    >
      <nav aria-label="Filter by status" className="filter-tabs">
        {FILTERS.map((f) => (
          <button key={f.label} type="button" className={`tab${f.status === status ? ' tab-active' : ''}`} aria-pressed={f.status === status} onClick={() => setParams(f.status ? { status: f.status } : {})}>
            {f.label}
            {f.status === status && list.data ? ` (${list.data.count})` : ''}
          </button>
        ))}
      </nav>
      <OutcomeMessage outcome={outcome} />
      {list.error && !list.data ? (
        <ErrorState error={list.error} onRetry={list.reload} />
      ) : !list.data ? (
        <Loading label="Loading the email log…" />
      ) : list.data.results.length === 0 ? (
        <EmptyState title={status === 'failed' ? 'No failed emails' : 'No emails here'}>
          <p>{status ? 'Try another filter.' : 'Emails appear here as notifications are sent.'}</p>
        </EmptyState>
      ) : (
        <>
          <div className="table-wrap">
            <table className="data-table responsive-table">
              <caption className="visually-hidden">Email deliveries</caption>
              <thead>
                <tr>
                  <th scope="col">To</th>
                  <th scope="col">Email</th>
                  <th scope="col">Status</th>
                  <th scope="col">Attempts</th>
                  <th scope="col">Updated</th>
                  <th scope="col">
                    <span className="visually-hidden">Action</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {list.data.results.map((d) => (
                  <tr key={d.id} className={d.status === 'failed' ? 'row-problem' : undefined}>
                    <th scope="row" data-label="To">
                      <span id={`delivery-${d.id}-to`}>{d.recipient}</span>
                    </th>
                    <td data-label="Email">
                      {d.title}
                      <span className="muted small block">{d.type.replace(/_/g, ' ')}</span>
                    </td>
                    <td data-label="Status">
                      <span className={`badge badge-${BADGE[d.status] ?? 'muted'}`}>{d.status}</span>
                      {d.last_error && <p className={`small${d.status === 'failed' ? ' status-problem' : ' muted'}`}>{d.last_error}</p>}
                    </td>
                    <td data-label="Attempts">{d.attempts}</td>
                    <td data-label="Updated">
                      <RelativeTime iso={d.sent_at ?? d.updated_at} />
                    </td>
                    <td data-label="Action">
                      {d.status === 'failed' && (
                        <button type="button" className="button primary small" onClick={() => void retry(d)} disabled={retrying !== null} aria-describedby={`delivery-${d.id}-to`}>
                          Retry
                        </button>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <Pager page={page} pageSize={PAGE_SIZE} count={list.data.count} onPage={(p) => setParams({ ...(status ? { status } : {}), page: String(p) })} label="Email log pages" />
        </>
      )}
    </Page>
  );
}
