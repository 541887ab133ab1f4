import { useId, useState, type FormEvent } from 'react';
import { ApiError } from '../../api/client';
import type { AdminClass } from '../../api/types';
import { Field } from '../../components/field';
import { FormError } from '../../components/states';

export interface ClassFormValues {
  title: string;
  description: string;
  price: string;
  currency: string;
  /** Empty: no limit. */
  capacity: string;
  is_active: boolean;
}

export const EMPTY_CLASS: ClassFormValues = { title: '', description: '', price: '', currency: 'USD', capacity: '', is_active: true };

export const classValues = (c: AdminClass): ClassFormValues => ({
  title: c.title,
  description: c.description,
  price: c.price,
  currency: c.currency,
  capacity: c.capacity === null ? '' : String(c.capacity),
  is_active: c.is_active,
});

/** The API body for these values: all of them (create), or only what changed since `initial` (edit). */
export function classBody(values: ClassFormValues, initial?: ClassFormValues): Record<string, unknown> {
  const body: Record<string, unknown> = {
    title: values.title.trim(),
    description: values.description.trim(),
    price: values.price.trim(),
    currency: values.currency.trim().toUpperCase(),
    capacity: values.capacity.trim() === '' ? null : Number(values.capacity),
    is_active: values.is_active,
  };
  if (!initial) return body;
  const before = classBody(initial);
  return Object.fromEntries(Object.entries(body).filter(([key, value]) => before[key] !== value));
}

/** The validator's words for these fields, said for a person. */
export function classFieldErrors(error: unknown): Record<string, string> {
  if (!(error instanceof ApiError)) return {};
  const say = (field: string, message: string): string => {
    if (field === 'price') return 'Enter an amount like 49.00 (at most two decimals).';
    if (field === 'currency') return 'Use a three-letter currency code like USD or EUR.';
    if (field === 'capacity') return 'Enter a whole number of at least 1, or leave it empty for no limit.';
    if (field === 'title' && /fewer than 1|pattern/.test(message)) return 'Give the class a title.';
    return message.charAt(0).toUpperCase() + message.slice(1);
  };
  return Object.fromEntries(Object.entries(error.fieldErrors()).map(([field, message]) => [field.split('.')[0]!, say(field.split('.')[0]!, message)]));
}

/** Checks the browser can make before asking the server (the server checks again). */
export function checkClass(values: ClassFormValues): Record<string, string> {
  const problems: Record<string, string> = {};
  if (!values.title.trim()) problems.title = 'Give the class a title.';
  if (!/^\s*\d{1,10}(\.\d{1,2})?\s*$/.test(values.price)) problems.price = 'Enter an amount like 49.00 (at most two decimals).';
  if (!/^\s*[A-Za-z]{3}\s*$/.test(values.currency)) problems.currency = 'Use a three-letter currency code like USD or EUR.';
  if (values.capacity.trim() !== '' && !(/^\d+$/.test(values.capacity.trim()) && Number(values.capacity) >= 1)) problems.capacity = 'Enter a whole number of at least 1, or leave it empty for no limit.';
  return problems;
}

/** Create or edit a class: every field labelled, the server's (or the browser's) message beside each. */
export function ClassForm({
  initial,
  submitLabel,
  busyLabel,
  onSubmit,
  onCancel,
  focusFirst,
}: {
  /** Put the cursor in Title when the form appears (a form opened by a button). */
  focusFirst?: boolean;
  initial: ClassFormValues;
  submitLabel: string;
  busyLabel: string;
  /** Resolves when saved; throws the server's error otherwise. */
  onSubmit: (values: ClassFormValues) => Promise<void>;
  onCancel?: () => void;
}) {
  const [values, setValues] = useState(initial);
  const [error, setError] = useState<unknown>(null);
  const [local, setLocal] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const id = useId();
  const fieldErrors = { ...classFieldErrors(error), ...local };
  const set = (name: keyof ClassFormValues) => (event: { target: { value: string } }) => setValues((v) => ({ ...v, [name]: event.target.value }));

  async function submit(event: FormEvent) {
    event.preventDefault();
    const problems = checkClass(values);
    setLocal(problems);
    setError(null);
    if (Object.keys(problems).length) {
      document.getElementById(`${id}-${Object.keys(problems)[0]}`)?.focus();
      return;
    }
    setBusy(true);
    try {
      await onSubmit(values);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form onSubmit={(e) => void submit(e)} className="stack" noValidate>
      <FormError error={error || Object.keys(local).length > 0} fieldErrors={fieldErrors} />
      <Field id={`${id}-title`} label="Title" value={values.title} maxLength={200} onChange={set('title')} error={fieldErrors.title} required autoFocus={focusFirst} />
      <div className={`field${fieldErrors.description ? ' field-invalid' : ''}`}>
        <label htmlFor={`${id}-description`}>Description</label>
        <textarea id={`${id}-description`} rows={3} maxLength={10_000} value={values.description} onChange={set('description')} aria-describedby={fieldErrors.description ? `${id}-description-error` : undefined} />
        {fieldErrors.description && (
          <p id={`${id}-description-error`} className="field-error">
            {fieldErrors.description}
          </p>
        )}
      </div>
      <div className="row-3">
        <Field id={`${id}-price`} label="Price" inputMode="decimal" placeholder="49.00" value={values.price} onChange={set('price')} error={fieldErrors.price} required />
        <Field id={`${id}-currency`} label="Currency" maxLength={3} value={values.currency} onChange={set('currency')} error={fieldErrors.currency} hint="e.g. USD" required />
        <Field id={`${id}-capacity`} label="Capacity (seats)" type="number" min={1} inputMode="numeric" value={values.capacity} onChange={set('capacity')} error={fieldErrors.capacity} hint="Empty: no limit" />
      </div>
      <label className="check">
        <input type="checkbox" checked={values.is_active} onChange={(e) => setValues((v) => ({ ...v, is_active: e.target.checked }))} />
        Open for enrollment (shown in the students’ catalog)
      </label>
      <div className="form-actions">
        <button type="submit" className="button primary" disabled={busy}>
          {busy ? busyLabel : submitLabel}
        </button>
        {onCancel && (
          <button type="button" className="button secondary" onClick={onCancel} disabled={busy}>
            Cancel
          </button>
        )}
      </div>
    </form>
  );
}
