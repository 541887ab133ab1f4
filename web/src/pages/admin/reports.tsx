import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { Bar, BarChart, CartesianGrid, Legend, Tooltip, XAxis, YAxis } from 'recharts';
import { useApi } from '../../api/context';
import type { ReportSummary } from '../../api/types';
import { Page } from '../../components/page';
import { EmptyState, ErrorState, Loading } from '../../components/states';
import { RelativeTime } from '../../components/time';
import { failureLabel, formatRate, formatSeconds } from '../../lib/admin-words';
import { downloadCsv, toCsv } from '../../lib/csv';
import { failuresTable, ratesTable, waitsTable, type ReportTable } from '../../lib/reports';
import { useResource } from '../../lib/use-resource';

/** Colours with at least 4.5:1 contrast on white (the bars carry meaning; the table says it too). */
const BLUE = '#1d4ed8';
const GREEN = '#15803d';
const RED = '#b91c1c';
const AXIS = '#374151';
const CHART_STYLE = { width: '100%', height: 300 };

const shorten = (text: string, max = 18) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);
const percent = (value: unknown) => `${Math.round(Number(value))}%`;

function CsvButton({ table, what }: { table: ReportTable; what: string }) {
  return (
    <button type="button" className="button secondary small" onClick={() => downloadCsv(table.filename, toCsv(table.header, table.rows))}>
      Download CSV<span className="visually-hidden"> of {what}</span>
    </button>
  );
}

/** A report: its chart and, beside it, the same numbers as a table, with the CSV of them. */
function ReportSection({ id, title, description, table, what, chart, numbers, empty, stacked }: { id: string; title: string; description: ReactNode; table: ReportTable; what: string; chart: ReactNode; numbers: ReactNode; empty?: ReactNode; stacked?: boolean }) {
  return (
    <section className="card report" aria-labelledby={`${id}-title`}>
      <div className="card-head">
        <div className="report-title">
          <h2 id={`${id}-title`}>{title}</h2>
          <p className="muted small">{description}</p>
        </div>
        <CsvButton table={table} what={what} />
      </div>
      {empty ?? (
        <div className={`report-body${stacked ? ' report-body-stacked' : ''}`}>
          <figure className="chart" aria-labelledby={`${id}-title`} aria-describedby={`${id}-numbers`}>
            {chart}
          </figure>
          <div id={`${id}-numbers`} className="report-numbers">
            {numbers}
          </div>
        </div>
      )}
    </section>
  );
}

function Stat({ label, value }: { label: string; value: ReactNode }) {
  return (
    <div className="count">
      <dt>{label}</dt>
      <dd>
        <span className="count-value">{value}</span>
      </dd>
    </div>
  );
}

function Reports({ summary }: { summary: ReportSummary }) {
  const rates = ratesTable(summary);
  const waits = waitsTable(summary);
  const failures = failuresTable(summary);
  const v = summary.verify_to_approved;
  const t = summary.totals;
  const rateData = summary.classes.map((c) => ({
    name: c.title,
    registration: c.registration_rate === null ? null : c.registration_rate * 100,
    approval: c.approval_rate === null ? null : c.approval_rate * 100,
  }));
  const failureData = summary.failures.map((f) => ({ name: failureLabel(f.failure_code), count: f.count }));

  return (
    <div className="stack-lg">
      <dl className="counts counts-total" aria-label="All classes">
        <Stat label="Classes" value={t.classes} />
        <Stat label="Enrolled" value={t.enrolled} />
        <Stat label="Registrations" value={t.registrations.total} />
        <Stat label="Registration rate" value={formatRate(t.registration_rate)} />
        <Stat label="Approval rate" value={formatRate(t.approval_rate)} />
      </dl>

      <ReportSection
        id="rates"
        title="Registration and approval rates per class"
        description="Registration rate: registrations that reached Zoom, of all that should (cancelled ones left out). Approval rate: approved, of those in Zoom."
        table={rates}
        stacked
        what="registration and approval rates per class"
        empty={
          summary.classes.length === 0 ? (
            <EmptyState title="No classes yet">
              <p>
                Create one on the <Link to="/admin/classes">Classes</Link> page.
              </p>
            </EmptyState>
          ) : undefined
        }
        chart={
          rateData.every((d) => d.registration === null && d.approval === null) ? (
            <EmptyState title="No registrations yet">
              <p>The rates appear once verified payments register students for webinars.</p>
            </EmptyState>
          ) : (
            <BarChart responsive style={CHART_STYLE} data={rateData} margin={{ top: 10, right: 10, bottom: 10, left: 0 }} title="Registration and approval rates per class" desc="Bars per class, in percent; the table below has the numbers.">
              <CartesianGrid strokeDasharray="3 3" vertical={false} />
              <XAxis dataKey="name" tickFormatter={(name: string) => shorten(name)} stroke={AXIS} interval={0} tick={{ fontSize: 12 }} />
              <YAxis domain={[0, 100]} tickFormatter={percent} stroke={AXIS} width={56} />
              <Tooltip formatter={(value) => (value === null || value === undefined ? '—' : percent(value))} />
              <Legend itemSorter={null} />
              <Bar dataKey="registration" name="Registration rate" fill={BLUE} maxBarSize={64} isAnimationActive="auto" />
              <Bar dataKey="approval" name="Approval rate" fill={GREEN} maxBarSize={64} isAnimationActive="auto" />
            </BarChart>
          )
        }
        numbers={
          <div className="table-wrap">
            <table className="data-table compact">
              <caption className="visually-hidden">Registration and approval rates per class</caption>
              <thead>
                <tr>
                  <th scope="col">Class</th>
                  <th scope="col">Registration rate</th>
                  <th scope="col">Approval rate</th>
                  <th scope="col">Enrolled</th>
                  <th scope="col">Registrations</th>
                  <th scope="col">In Zoom</th>
                  <th scope="col">Approved</th>
                  <th scope="col">Failed</th>
                </tr>
              </thead>
              <tbody>
                {summary.classes.map((c) => (
                  <tr key={c.class_id}>
                    <th scope="row">
                      <Link to={`/admin/classes/${c.class_id}`}>{c.title}</Link>
                    </th>
                    <td>{formatRate(c.registration_rate)}</td>
                    <td>{formatRate(c.approval_rate)}</td>
                    <td>{c.enrolled}</td>
                    <td>{c.registrations.total}</td>
                    <td>{c.registered_in_zoom}</td>
                    <td>{c.registrations.approved}</td>
                    <td>{c.registrations.failed}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        }
      />

      <ReportSection
        id="waits"
        title="Time from verify to approved"
        description="For every approved registration: from the admin’s verify of the payment to the approval in Zoom."
        table={waits}
        what="the time from verify to approved"
        empty={
          v.count === 0 ? (
            <EmptyState title="No approvals yet">
              <p>The distribution appears once students are approved.</p>
            </EmptyState>
          ) : undefined
        }
        chart={
          <BarChart responsive style={CHART_STYLE} data={v.buckets} margin={{ top: 10, right: 10, bottom: 10, left: 0 }} title="Approvals by time from verify to approved" desc="Approvals per time bucket; the table beside has the numbers.">
            <CartesianGrid strokeDasharray="3 3" vertical={false} />
            <XAxis dataKey="label" stroke={AXIS} interval={0} tick={{ fontSize: 11 }} />
            <YAxis allowDecimals={false} stroke={AXIS} width={40} />
            <Tooltip />
            <Bar dataKey="count" name="Approvals" fill={BLUE} isAnimationActive="auto" />
          </BarChart>
        }
        numbers={
          <>
            <dl className="counts">
              <Stat label="Median (p50)" value={formatSeconds(v.p50_seconds)} />
              <Stat label="p90" value={formatSeconds(v.p90_seconds)} />
              <Stat label="p99" value={formatSeconds(v.p99_seconds)} />
              <Stat label="Longest" value={formatSeconds(v.max_seconds)} />
            </dl>
            <div className="table-wrap">
              <table className="data-table compact">
                <caption className="visually-hidden">Approvals per time bucket, {v.count} in all</caption>
                <thead>
                  <tr>
                    <th scope="col">Verify → approved</th>
                    <th scope="col">Approvals</th>
                  </tr>
                </thead>
                <tbody>
                  {v.buckets.map((b) => (
                    <tr key={b.label}>
                      <th scope="row">{b.label}</th>
                      <td>{b.count}</td>
                    </tr>
                  ))}
                </tbody>
                <tfoot>
                  <tr>
                    <th scope="row">All</th>
                    <td>{v.count}</td>
                  </tr>
                </tfoot>
              </table>
            </div>
          </>
        }
      />

      <ReportSection
        id="failures"
        title="Failures by reason"
        description={
          <>
            Registrations failed now, by reason. Fix the cause and retry them on the <Link to="/admin/registrations?status=failed">Registrations</Link> page.
          </>
        }
        table={failures}
        what="failures by reason"
        empty={
          summary.failures.length === 0 ? (
            <EmptyState title="No failed registrations">
              <p>Every registration is on its way or done.</p>
            </EmptyState>
          ) : undefined
        }
        chart={
          <BarChart responsive style={{ ...CHART_STYLE, height: Math.max(160, 60 + failureData.length * 44) }} data={failureData} layout="vertical" margin={{ top: 10, right: 20, bottom: 10, left: 10 }} title="Failed registrations by reason" desc="One bar per reason; the table beside has the numbers.">
            <CartesianGrid strokeDasharray="3 3" horizontal={false} />
            <XAxis type="number" allowDecimals={false} stroke={AXIS} />
            <YAxis type="category" dataKey="name" width={150} stroke={AXIS} tick={{ fontSize: 12 }} tickFormatter={(name: string) => shorten(name, 24)} />
            <Tooltip />
            <Bar dataKey="count" name="Registrations" fill={RED} maxBarSize={32} isAnimationActive="auto" />
          </BarChart>
        }
        numbers={
          <div className="table-wrap">
            <table className="data-table compact">
              <caption className="visually-hidden">Failed registrations by reason</caption>
              <thead>
                <tr>
                  <th scope="col">Reason</th>
                  <th scope="col">Registrations</th>
                  <th scope="col">Latest</th>
                </tr>
              </thead>
              <tbody>
                {summary.failures.map((f) => (
                  <tr key={f.failure_code}>
                    <th scope="row">
                      {failureLabel(f.failure_code)}
                      <span className="muted small block">{f.example ?? f.failure_code}</span>
                    </th>
                    <td>{f.count}</td>
                    <td>
                      <RelativeTime iso={f.latest_at} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        }
      />
    </div>
  );
}

/** Admin: rates per class, the verify-to-approved distribution and failures by reason — charts, numbers, CSV. */
export function ReportsPage() {
  const api = useApi();
  const summary = useResource('reports-summary', (signal) => api.get<ReportSummary>('/edu_admin/reports/summary/', { signal }));
  return (
    <Page
      title="Reports"
      wide
      actions={
        <button type="button" className="button secondary" onClick={summary.reload} disabled={summary.loading}>
          {summary.loading && summary.data ? 'Refreshing…' : 'Refresh'}
        </button>
      }
    >
      {summary.data && (
        <p className="muted small">
          As of <RelativeTime iso={summary.data.generated_at} />. Each CSV holds the numbers of its table.
        </p>
      )}
      {summary.error && !summary.data ? <ErrorState error={summary.error} onRetry={summary.reload} /> : !summary.data ? <Loading label="Counting…" /> : <Reports summary={summary.data} />}
    </Page>
  );
}
