import { useState, type FormEvent } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { ApiError } from '../api/client';
import { loadCatalog } from '../api/catalog';
import { useApi } from '../api/context';
import type { CatalogClass, StudentPayment } from '../api/types';
import { Field } from '../components/field';
import { Page } from '../components/page';
import { ReceiptDrop, type ReceiptChoice } from '../components/receipt-drop';
import { EmptyState, ErrorState, FormError, Loading } from '../components/states';
import { formatMoney, sumMoney } from '../lib/format';
import { useResource } from '../lib/use-resource';

export function parseClassIds(text: string | null): number[] {
  return [...new Set((text ?? '').split(',').map((s) => Number(s.trim())).filter((n) => Number.isInteger(n) && n > 0))];
}

/** The server's complaint about the file goes beside the file; the others beside their fields. */
function splitErrors(error: unknown): { file: string | null; fields: Record<string, string> } {
  if (!(error instanceof ApiError)) return { file: null, fields: {} };
  if (error.code === 'unsupported_file_type' || error.code === 'payload_too_large') return { file: error.message, fields: {} };
  const { file, ...fields } = error.fieldErrors();
  return { file: file ? `The receipt ${file}` : null, fields };
}

function PayForm({ classes }: { classes: CatalogClass[] }) {
  const api = useApi();
  const navigate = useNavigate();
  const currencies = [...new Set(classes.map((c) => c.currency))];
  const total = currencies.length === 1 ? sumMoney(classes.map((c) => c.price)) : '';
  const [receipt, setReceipt] = useState<ReceiptChoice | null>(null);
  const [receiptError, setReceiptError] = useState<string | null>(null);
  const [reference, setReference] = useState('');
  const [amount, setAmount] = useState(total);
  const [currency, setCurrency] = useState(currencies[0] ?? 'USD');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const { fields, file: fileError } = splitErrors(error);

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    if (!receipt) {
      setReceiptError(receiptError ?? 'Choose the receipt file: a photo, scan or PDF of your bank transfer.');
      return;
    }
    setBusy(true);
    setError(null);
    const form = new FormData();
    for (const cls of classes) form.append('class_ids', String(cls.id));
    form.append('amount', amount.trim().replace(',', '.'));
    form.append('currency', currency.trim().toUpperCase());
    form.append('reference', reference.trim());
    form.append('file', receipt.file, receipt.file.name);
    try {
      const payment = await api.post<StudentPayment>('/students/receipt-payments/', { form });
      navigate('/payments', { state: { submitted: payment.id } });
    } catch (err) {
      const split = splitErrors(err);
      if (split.file) {
        setReceipt(null);
        setReceiptError(split.file);
      }
      setError(err);
      setBusy(false);
    }
  }

  const differs = total && amount.trim() && Number(amount.replace(',', '.')) !== Number(total);
  return (
    <form onSubmit={(e) => void onSubmit(e)} className="stack pay-form" noValidate>
      <FormError error={error} fieldErrors={fileError ? { ...fields, file: fileError } : fields} />
      <ReceiptDrop
        value={receipt}
        error={receiptError}
        disabled={busy}
        onChange={(choice, message) => {
          setReceipt(choice);
          setReceiptError(message);
        }}
      />
      <Field label="Bank reference" name="reference" required maxLength={100} value={reference} onChange={(e) => setReference(e.target.value)} error={fields.reference} hint="The reference or transaction number on your bank transfer" />
      <div className="row-2">
        <Field
          label="Amount"
          name="amount"
          inputMode="decimal"
          required
          value={amount}
          onChange={(e) => setAmount(e.target.value)}
          error={fields.amount}
          hint={differs ? `The classes cost ${formatMoney(total, currency)}; enter what you actually paid.` : 'What you paid, as on the receipt'}
        />
        <Field label="Currency" name="currency" required maxLength={3} value={currency} onChange={(e) => setCurrency(e.target.value)} error={fields.currency} hint="3-letter code, e.g. USD" className="field-narrow" />
      </div>
      <div className="form-actions">
        <button type="submit" className="button primary" disabled={busy}>
          {busy ? 'Uploading…' : 'Submit payment'}
        </button>
        <Link to="/classes" className="button secondary">
          Cancel
        </Link>
      </div>
    </form>
  );
}

export function PayPage() {
  const api = useApi();
  const [params] = useSearchParams();
  const ids = parseClassIds(params.get('classes'));
  const catalog = useResource('catalog', (signal) => loadCatalog(api, signal));
  const found = (catalog.data ?? []).filter((c) => ids.includes(c.id));
  const payable = found.filter((c) => !c.is_enrolled);
  const enrolled = found.filter((c) => c.is_enrolled);
  const currencies = [...new Set(payable.map((c) => c.currency))];

  return (
    <Page title="Pay for classes">
      {catalog.error ? (
        <ErrorState error={catalog.error} onRetry={catalog.reload} />
      ) : !catalog.data ? (
        <Loading />
      ) : payable.length === 0 ? (
        <EmptyState title={enrolled.length ? 'You are already enrolled' : 'No class chosen'}>
          <p>
            {enrolled.length ? `You are enrolled in ${enrolled.map((c) => c.title).join(', ')} already.` : 'Choose one or more classes to pay for.'}{' '}
            <Link to="/classes">Back to the classes</Link>
          </p>
        </EmptyState>
      ) : (
        <div className="pay-layout">
          <section className="card" aria-labelledby="pay-summary">
            <h2 id="pay-summary">You are paying for</h2>
            <table className="summary-table">
              <tbody>
                {payable.map((c) => (
                  <tr key={c.id}>
                    <th scope="row">{c.title}</th>
                    <td>{formatMoney(c.price, c.currency)}</td>
                  </tr>
                ))}
              </tbody>
              {currencies.length === 1 && (
                <tfoot>
                  <tr>
                    <th scope="row">Total</th>
                    <td>{formatMoney(sumMoney(payable.map((c) => c.price)), currencies[0]!)}</td>
                  </tr>
                </tfoot>
              )}
            </table>
            {enrolled.length > 0 && <p className="muted small">Left out (already enrolled): {enrolled.map((c) => c.title).join(', ')}.</p>}
            {currencies.length > 1 && <p className="alert alert-warning">These classes are priced in different currencies. Pay for each currency separately.</p>}
            <p className="muted small">Transfer the total to the school&apos;s bank account, then upload the receipt here. An admin checks it, usually within a day, and you are enrolled right away.</p>
          </section>
          <section className="card" aria-labelledby="pay-receipt">
            <h2 id="pay-receipt">Your receipt</h2>
            <PayForm key={payable.map((c) => c.id).join(',')} classes={payable} />
          </section>
        </div>
      )}
    </Page>
  );
}
