import { Link, useLocation } from 'react-router';
import { loadAllPages } from '../api/catalog';
import { useApi } from '../api/context';
import type { PaymentStatus, StudentPayment } from '../api/types';
import { Page } from '../components/page';
import { EmptyState, ErrorState, Loading } from '../components/states';
import { RelativeTime } from '../components/time';
import { formatDate, formatMoney } from '../lib/format';
import { useResource } from '../lib/use-resource';
import { useEffect } from 'react';
import { useLiveInbox } from '../live/live-inbox';

export const STATUS_TEXT: Record<PaymentStatus, { label: string; tone: string; explain: string }> = {
  pending: { label: 'Waiting for review', tone: 'warning', explain: 'An admin will check your receipt soon.' },
  verified: { label: 'Verified', tone: 'success', explain: 'You are enrolled in the classes it paid for.' },
  rejected: { label: 'Rejected', tone: 'danger', explain: 'This receipt was not accepted.' },
  refunded: { label: 'Refunded', tone: 'muted', explain: 'This payment was refunded and its enrollments ended.' },
};

function PaymentCard({ payment, highlighted }: { payment: StudentPayment; highlighted: boolean }) {
  const status = STATUS_TEXT[payment.status];
  return (
    <article className={`card payment${highlighted ? ' card-selected' : ''}`} aria-labelledby={`payment-${payment.id}`}>
      <div className="card-head">
        <h2 id={`payment-${payment.id}`}>
          {formatMoney(payment.amount, payment.currency)} <span className="muted small">· ref. {payment.reference}</span>
        </h2>
        <span className={`badge badge-${status.tone}`}>{status.label}</span>
      </div>
      <p>For {payment.classes.map((c) => c.title).join(', ')}</p>
      <p className="muted small">
        Sent <RelativeTime iso={payment.created_at} />
        {payment.reviewed_at && <> · reviewed {formatDate(payment.reviewed_at)}</>} · receipt {payment.receipt.original_name ?? `#${payment.id}`}
      </p>
      {payment.status === 'rejected' ? (
        <div className="alert alert-error">
          <p>
            <strong>Reason:</strong> {payment.rejection_reason ?? 'No reason was given.'}
          </p>
          <p className="small">
            You can upload a corrected receipt: <Link to={`/pay?classes=${payment.classes.map((c) => c.id).join(',')}`}>pay again</Link>.
          </p>
        </div>
      ) : (
        <p className="small">{status.explain}</p>
      )}
    </article>
  );
}

export function PaymentsPage() {
  const api = useApi();
  const location = useLocation();
  const { subscribe } = useLiveInbox();
  const submitted = (location.state as { submitted?: number } | null)?.submitted;
  const payments = useResource('payments', (signal) => loadAllPages<StudentPayment>(api, '/students/receipt-payments/', signal));
  const { reload } = payments;
  useEffect(() => subscribe((event) => event.type === 'notification' && ['class_enrollment', 'payment_rejected'].includes(event.notification.type) && reload()), [subscribe, reload]);

  return (
    <Page title="Payments">
      {submitted && (
        <div className="alert alert-success" role="status">
          Receipt sent. An admin will check it and you will be notified here as soon as it is verified.
        </div>
      )}
      {payments.error ? (
        <ErrorState error={payments.error} onRetry={reload} />
      ) : !payments.data ? (
        <Loading label="Loading your payments…" />
      ) : payments.data.length === 0 ? (
        <EmptyState title="No payments yet">
          <p>
            Choose a class in the <Link to="/classes">catalog</Link>, pay by bank transfer and upload the receipt.
          </p>
        </EmptyState>
      ) : (
        <div className="stack-lg">
          {payments.data.map((p) => (
            <PaymentCard key={p.id} payment={p} highlighted={p.id === submitted} />
          ))}
        </div>
      )}
    </Page>
  );
}
