import { useCallback, useEffect, useMemo, useRef, useState, type FormEvent, type RefObject } from 'react';
import { useSearchParams } from 'react-router';
import { errorMessage } from '../../api/client';
import { useApi } from '../../api/context';
import type { AdminPayment, Page as ApiPage, PaymentStatus, RefundResult, VerifyResult } from '../../api/types';
import { Page } from '../../components/page';
import { EmptyState, ErrorState, Loading } from '../../components/states';
import { RelativeTime } from '../../components/time';
import { formatDateTime, formatMoney } from '../../lib/format';
import { useResource } from '../../lib/use-resource';

const FILTERS: Array<{ status: PaymentStatus | 'all'; label: string }> = [
  { status: 'pending', label: 'Pending' },
  { status: 'verified', label: 'Verified' },
  { status: 'rejected', label: 'Rejected' },
  { status: 'refunded', label: 'Refunded' },
  { status: 'all', label: 'All' },
];

const STATUS_BADGE: Record<PaymentStatus, string> = { pending: 'warning', verified: 'success', rejected: 'danger', refunded: 'muted' };

type Outcome = { ok: true; text: string } | { ok: false; text: string };

/** What a verify did, in one sentence: the enrollments it created (and those already there). */
export function describeVerify(result: VerifyResult): string {
  const who = `${result.payment.student.first_name} ${result.payment.student.last_name}`.trim() || result.payment.student.username;
  const created = result.enrollments_created.map((e) => e.class_title);
  const present = result.enrollments_already_present.map((e) => e.class_title);
  const parts = [`Verified payment #${result.payment.id}.`];
  if (created.length) parts.push(`${who} is now enrolled in ${created.join(', ')}.`);
  if (present.length) parts.push(`Already enrolled in ${present.join(', ')}.`);
  if (!created.length && !present.length) parts.push('No enrollment was needed.');
  return parts.join(' ');
}

/** What a refund did: enrollments revoked (their Zoom registrations cancelled), or kept through another payment. */
export function describeRefund(result: RefundResult, username: string): string {
  const parts = [`Refunded payment #${result.payment_id}.`];
  const revoked = result.enrollments_revoked.length;
  const kept = result.enrollments_kept.length;
  if (revoked) parts.push(`${revoked === 1 ? 'One enrollment' : `${revoked} enrollments`} of ${username} revoked; their Zoom registrations are being cancelled and ${username} is told.`);
  if (kept) parts.push(`${kept === 1 ? 'One enrollment stays' : `${kept} enrollments stay`}: paid through another verified payment.`);
  if (!revoked && !kept) parts.push('No enrollment depended on it.');
  return parts.join(' ');
}

/** Refunding is not undone: the reason is asked first, then confirmed with a second button. */
function RefundForm({ busy, onRefund }: { busy: boolean; onRefund: (reason: string) => void }) {
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const input = useRef<HTMLInputElement>(null);
  const opener = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (open) input.current?.focus();
  }, [open]);
  if (!open)
    return (
      <div className="review-actions">
        <button ref={opener} type="button" className="button secondary" onClick={() => setOpen(true)} disabled={busy}>
          Refund…
        </button>
        <p className="small muted">Refunding revokes the enrollments it paid for and cancels their Zoom registrations.</p>
      </div>
    );
  function submit(event: FormEvent) {
    event.preventDefault();
    if (!reason.trim()) {
      setError('Write the reason: the student sees it.');
      input.current?.focus();
      return;
    }
    setError(null);
    onRefund(reason.trim());
  }
  return (
    <form onSubmit={submit} className="review-actions refund-form" noValidate>
      <div className={`field${error ? ' field-invalid' : ''}`}>
        <label htmlFor="refund-reason">Reason for the refund (the student sees it)</label>
        <input
          ref={input}
          id="refund-reason"
          value={reason}
          maxLength={1000}
          onChange={(e) => {
            setReason(e.target.value);
            if (e.target.value.trim()) setError(null);
          }}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? 'refund-reason-error' : undefined}
          placeholder="e.g. The class was cancelled"
        />
        {error && (
          <p id="refund-reason-error" className="field-error">
            {error}
          </p>
        )}
      </div>
      <button type="submit" className="button danger" disabled={busy}>
        Refund
      </button>
      <button
        type="button"
        className="button secondary"
        onClick={() => {
          setOpen(false);
          setTimeout(() => opener.current?.focus());
        }}
        disabled={busy}
      >
        Cancel
      </button>
    </form>
  );
}

/** The receipt file, fetched with the admin's session and shown inline (image) or embedded (PDF). */
function ReceiptView({ payment }: { payment: AdminPayment }) {
  const api = useApi();
  // Object URLs made here are released when the detail goes (another payment is selected).
  const urls = useRef<string[]>([]);
  useEffect(
    () => () => {
      for (const u of urls.current.splice(0)) URL.revokeObjectURL(u);
    },
    [],
  );
  const receipt = useResource(`receipt-${payment.id}`, async (signal) => {
    const u = URL.createObjectURL(await api.blob(`/edu_admin/receipt-payments/${payment.id}/receipt/`, { signal }));
    urls.current.push(u);
    return u;
  });
  const url = receipt.data;
  const name = payment.receipt.original_name ?? `receipt-${payment.id}`;
  if (receipt.error) return <ErrorState title="The receipt could not be loaded" error={receipt.error} onRetry={receipt.reload} />;
  if (!url || receipt.loading) return <Loading label="Loading the receipt…" />;
  return (
    <figure className="receipt-view">
      {payment.receipt.content_type === 'application/pdf' ? (
        <object data={url} type="application/pdf" aria-label={`Receipt ${name} (PDF)`} className="receipt-pdf">
          <p>
            This browser cannot show PDFs here. <a href={url} download={name}>Download the receipt</a>.
          </p>
        </object>
      ) : (
        <img src={url} alt={`Receipt uploaded by the student: ${name}`} className="receipt-image" />
      )}
      <figcaption className="muted small">
        {name} · <a href={url} target="_blank" rel="noopener noreferrer">Open full size</a>
      </figcaption>
    </figure>
  );
}

function PaymentDetail({
  payment,
  busy,
  onVerify,
  onReject,
  onRefund,
  reasonRef,
}: {
  payment: AdminPayment;
  busy: boolean;
  onVerify: () => void;
  onReject: (reason: string) => void;
  onRefund: (reason: string) => void;
  reasonRef: RefObject<HTMLInputElement | null>;
}) {
  const [reason, setReason] = useState('');
  const [reasonError, setReasonError] = useState<string | null>(null);
  const student = payment.student;
  const pending = payment.status === 'pending';

  function submitReject(event: FormEvent) {
    event.preventDefault();
    if (!reason.trim()) {
      setReasonError('Write the reason: the student sees it.');
      reasonRef.current?.focus();
      return;
    }
    setReasonError(null);
    onReject(reason.trim());
  }

  return (
    <section className="card receipt-detail" aria-labelledby="payment-detail-title">
      <div className="card-head">
        <h2 id="payment-detail-title">
          Payment #{payment.id} · {student.first_name} {student.last_name}
        </h2>
        <span className={`badge badge-${STATUS_BADGE[payment.status]}`}>{payment.status}</span>
      </div>
      <p className="muted small">
        {student.username} · {student.email} · sent <RelativeTime iso={payment.created_at} /> · ref. <strong>{payment.reference}</strong>
      </p>
      <div className={`amount-check ${payment.amount_matches ? 'amount-ok' : 'amount-differs'}`}>
        <p>
          Paid <strong>{formatMoney(payment.amount, payment.currency)}</strong>
          {payment.expected_amount && (
            <>
              {' '}
              · classes cost <strong>{formatMoney(payment.expected_amount, payment.classes[0]?.currency ?? payment.currency)}</strong>
            </>
          )}
        </p>
        <p className="small">{payment.amount_matches ? 'The amount matches the class prices.' : 'The amount differs from the class prices: check the receipt.'}</p>
      </div>
      <table className="summary-table">
        <caption className="visually-hidden">Classes paid for</caption>
        <tbody>
          {payment.classes.map((c) => (
            <tr key={c.id}>
              <th scope="row">{c.title}</th>
              <td>{formatMoney(c.price, c.currency)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <ReceiptView payment={payment} />
      {pending ? (
        <div className="review-actions">
          <button type="button" className="button primary" onClick={onVerify} disabled={busy} aria-keyshortcuts="v">
            Verify
          </button>
          <form onSubmit={submitReject} className="reject-form" noValidate>
            <div className={`field${reasonError ? ' field-invalid' : ''}`}>
              <label htmlFor="reject-reason">Reason for rejecting (the student sees it)</label>
              <input
                ref={reasonRef}
                id="reject-reason"
                value={reason}
                maxLength={1000}
                onChange={(e) => setReason(e.target.value)}
                aria-invalid={reasonError ? true : undefined}
                aria-describedby={reasonError ? 'reject-reason-error' : undefined}
                aria-keyshortcuts="r"
                placeholder="e.g. The amount on the receipt does not match"
              />
              {reasonError && (
                <p id="reject-reason-error" className="field-error">
                  {reasonError}
                </p>
              )}
            </div>
            <button type="submit" className="button danger" disabled={busy}>
              Reject
            </button>
          </form>
        </div>
      ) : (
        <>
        <p className="small">
          {payment.status === 'rejected' ? 'Rejected' : payment.status === 'verified' ? 'Verified' : 'Refunded'}
          {payment.reviewed_by && ` by ${payment.reviewed_by.username}`}
          {payment.reviewed_at && ` on ${formatDateTime(payment.reviewed_at)}`}
          {payment.rejection_reason && (
            <>
              {' '}
              — <q>{payment.rejection_reason}</q>
            </>
          )}
        </p>
        {payment.status === 'verified' && <RefundForm busy={busy} onRefund={onRefund} />}
        </>
      )}
    </section>
  );
}

const isTyping = (target: EventTarget | null) => target instanceof HTMLElement && (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName));

/**
 * The receipts queue: pending ones oldest first, the receipt beside the payment, Verify or Reject
 * with a reason, the result shown at once, then the next one. Keys: j/k next/previous, v verify,
 * r write the rejection reason (Enter rejects, Escape goes back to the queue).
 */
export function ReceiptsQueuePage() {
  const api = useApi();
  const [params, setParams] = useSearchParams();
  const status = (FILTERS.find((f) => f.status === params.get('status'))?.status ?? 'pending') as PaymentStatus | 'all';
  const list = useResource(`admin-receipts-${status}`, (signal) =>
    api.get<ApiPage<AdminPayment>>('/edu_admin/receipt-payments/', { query: { status: status === 'all' ? undefined : status, page_size: 100 }, signal }),
  );
  const [selectedId, setSelectedId] = useState<number | null>(null);
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const reasonRef = useRef<HTMLInputElement>(null);
  const listRef = useRef<HTMLUListElement>(null);
  /** Where focus goes once the queue has re-rendered after a decision: the next payment, or the page. */
  const pendingFocus = useRef<number | 'page' | null>(null);
  useEffect(() => {
    const target = pendingFocus.current;
    if (target === null) return;
    pendingFocus.current = null;
    const element = target === 'page' ? document.querySelector<HTMLElement>('h1') : listRef.current?.querySelector<HTMLElement>(`[data-payment="${target}"]`);
    element?.focus();
  });

  const { setData } = list;
  const payments = useMemo(() => list.data?.results ?? [], [list.data]);
  const selected = payments.find((p) => p.id === selectedId) ?? payments[0] ?? null;
  const index = selected ? payments.indexOf(selected) : -1;

  const select = useCallback(
    (i: number) => {
      const next = payments[Math.max(0, Math.min(payments.length - 1, i))];
      if (!next) return;
      setSelectedId(next.id);
      listRef.current?.querySelector<HTMLElement>(`[data-payment="${next.id}"]`)?.focus();
    },
    [payments],
  );

  /** After a decision the payment leaves the pending queue and the next one (same position) is selected. */
  const settle = useCallback(
    (updated: AdminPayment) => {
      const position = payments.findIndex((p) => p.id === updated.id);
      // It leaves a filtered list whose status it no longer has (pending → verified, verified → refunded).
      const leaves = status !== 'all' && updated.status !== status;
      setData((page) => {
        const results = leaves ? page.results.filter((p) => p.id !== updated.id) : page.results.map((p) => (p.id === updated.id ? updated : p));
        return { ...page, results, count: leaves ? Math.max(0, page.count - 1) : page.count };
      });
      if (leaves) {
        const rest = payments.filter((p) => p.id !== updated.id);
        const next = rest[Math.min(position, rest.length - 1)];
        setSelectedId(next?.id ?? null);
        pendingFocus.current = next?.id ?? 'page';
      }
    },
    [setData, payments, status],
  );

  const verify = useCallback(async () => {
    if (!selected || selected.status !== 'pending' || busy) return;
    setBusy(true);
    setOutcome(null);
    try {
      const result = await api.post<VerifyResult>(`/edu_admin/receipt-payments/${selected.id}/verify/`);
      setOutcome({ ok: true, text: describeVerify(result) });
      settle(result.payment);
    } catch (err) {
      setOutcome({ ok: false, text: `Payment #${selected.id} was not verified: ${errorMessage(err)}` });
    } finally {
      setBusy(false);
    }
  }, [api, busy, selected, settle]);

  const reject = useCallback(
    async (reason: string) => {
      if (!selected || busy) return;
      setBusy(true);
      setOutcome(null);
      try {
        const payment = await api.post<AdminPayment>(`/edu_admin/receipt-payments/${selected.id}/reject/`, { json: { reason } });
        setOutcome({ ok: true, text: `Rejected payment #${payment.id}. ${payment.student.username} sees: “${reason}”` });
        settle(payment);
      } catch (err) {
        setOutcome({ ok: false, text: `Payment #${selected.id} was not rejected: ${errorMessage(err)}` });
      } finally {
        setBusy(false);
      }
    },
    [api, busy, selected, settle],
  );

  const refund = useCallback(
    async (reason: string) => {
      if (!selected || busy) return;
      setBusy(true);
      setOutcome(null);
      try {
        const result = await api.post<RefundResult>(`/edu_admin/receipt-payments/${selected.id}/refund/`, { json: { reason } });
        setOutcome({ ok: true, text: describeRefund(result, selected.student.username) });
        settle(await api.get<AdminPayment>(`/edu_admin/receipt-payments/${selected.id}/`));
      } catch (err) {
        setOutcome({ ok: false, text: `Payment #${selected.id} was not refunded: ${errorMessage(err)}` });
      } finally {
        setBusy(false);
      }
    },
    [api, busy, selected, settle],
  );

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.altKey || event.ctrlKey || event.metaKey) return;
      if (isTyping(event.target)) {
        if (event.key === 'Escape' && event.target === reasonRef.current) select(index);
        return;
      }
      if (event.key === 'j' || event.key === 'ArrowDown') select(index + 1);
      else if (event.key === 'k' || event.key === 'ArrowUp') select(index - 1);
      else if (event.key === 'v') void verify();
      else if (event.key === 'r') reasonRef.current?.focus();
      else return;
      event.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [index, select, verify]);

  return (
    <Page title="Receipts" wide>
      <nav aria-label="Filter by status" className="filter-tabs">
        {FILTERS.map((f) => (
          <button
            key={f.status}
            type="button"
            className={`tab${f.status === status ? ' tab-active' : ''}`}
            aria-pressed={f.status === status}
            onClick={() => {
              setSelectedId(null);
              setOutcome(null);
              setParams(f.status === 'pending' ? {} : { status: f.status });
            }}
          >
            {f.label}
            {f.status === status && list.data ? ` (${list.data.count})` : ''}
          </button>
        ))}
      </nav>
      <p className="muted small shortcuts">
        Keys: <kbd>j</kbd>/<kbd>k</kbd> next/previous · <kbd>v</kbd> verify · <kbd>r</kbd> reason, then <kbd>Enter</kbd> to reject · <kbd>Esc</kbd> back to the queue
      </p>
      <div className="outcome" role="status" aria-live="polite">
        {outcome && <p className={`alert ${outcome.ok ? 'alert-success' : 'alert-error'}`}>{outcome.text}</p>}
      </div>
      {list.error && !list.data ? (
        <ErrorState error={list.error} onRetry={list.reload} />
      ) : !list.data ? (
        <Loading label="Loading receipts…" />
      ) : payments.length === 0 ? (
        <EmptyState title={status === 'pending' ? 'No receipts are waiting' : 'No payments here'}>
          <p>{status === 'pending' ? 'New receipts appear here as students upload them.' : 'Try another filter.'}</p>
          <button type="button" className="button secondary" onClick={list.reload}>
            Check again
          </button>
        </EmptyState>
      ) : (
        <div className="queue-layout">
          <ul className="queue" ref={listRef} aria-label={`${FILTERS.find((f) => f.status === status)?.label} payments`}>
            {payments.map((p) => (
              <li key={p.id}>
                <button type="button" data-payment={p.id} className={`queue-item${p.id === selected?.id ? ' queue-item-selected' : ''}`} aria-current={p.id === selected?.id ? 'true' : undefined} onClick={() => setSelectedId(p.id)}>
                  <span className="queue-who">
                    {p.student.first_name} {p.student.last_name} <span className="muted small">({p.student.username})</span>
                  </span>
                  <span className="queue-what">
                    {formatMoney(p.amount, p.currency)}
                    {!p.amount_matches && <span className="badge badge-warning">Amount differs</span>}
                    {status === 'all' && <span className={`badge badge-${STATUS_BADGE[p.status]}`}>{p.status}</span>}
                  </span>
                  <span className="muted small">
                    {p.classes.map((c) => c.title).join(', ')} · <RelativeTime iso={p.created_at} />
                  </span>
                </button>
              </li>
            ))}
          </ul>
          {selected && <PaymentDetail key={selected.id} payment={selected} busy={busy} onVerify={() => void verify()} onReject={(reason) => void reject(reason)} onRefund={(reason) => void refund(reason)} reasonRef={reasonRef} />}
        </div>
      )}
      {list.data && list.data.count > payments.length && <p className="muted small">Showing the first {payments.length} of {list.data.count}.</p>}
    </Page>
  );
}
