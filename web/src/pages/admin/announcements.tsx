import { useId, useRef, useState, type FormEvent } from 'react';
import { ApiError, errorMessage } from '../../api/client';
import { useApi } from '../../api/context';
import type { AdminClass, BroadcastResult, Page as ApiPage } from '../../api/types';
import { OutcomeMessage, type Outcome } from '../../components/admin';
import { Field } from '../../components/field';
import { Page } from '../../components/page';
import { FormError } from '../../components/states';
import { newIdempotencyKey } from '../../lib/admin-words';
import { useResource } from '../../lib/use-resource';

interface Draft {
  classId: string;
  title: string;
  message: string;
  inApp: boolean;
  email: boolean;
}

const EMPTY: Draft = { classId: '', title: '', message: '', inApp: true, email: true };

/**
 * One idempotency key per announcement: the same draft sent again (a double click, a retry after a
 * lost answer) carries the same key, so the server sends it once; a changed draft gets a new key.
 */
export function keyFor(draft: Draft, previous: { signature: string; key: string } | null): { signature: string; key: string } {
  const signature = JSON.stringify(draft);
  return previous && previous.signature === signature ? previous : { signature, key: newIdempotencyKey() };
}

function fieldErrorsOf(error: unknown): Record<string, string> {
  if (!(error instanceof ApiError)) return {};
  const out: Record<string, string> = {};
  for (const [field, message] of Object.entries(error.fieldErrors())) {
    if (field === 'title' || field === 'message') out[field] = /fewer than 1|pattern/.test(message) ? 'This is required.' : message.charAt(0).toUpperCase() + message.slice(1);
    else if (field.startsWith('channels')) out.channels = 'Choose at least one way to send it.';
    else if (field === 'class_id') out.classId = message;
  }
  if (error.code === 'not_found') out.classId = error.message;
  return out;
}

/** Admin: an announcement to one class's students or to every student, in the app and by email. */
export function AnnouncementsPage() {
  const api = useApi();
  const id = useId();
  const classes = useResource('broadcast-classes', (signal) => api.get<ApiPage<AdminClass>>('/edu_admin/classes/', { query: { page_size: 100 }, signal }));
  const [draft, setDraft] = useState<Draft>(EMPTY);
  const [local, setLocal] = useState<Record<string, string>>({});
  const [error, setError] = useState<unknown>(null);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [sending, setSending] = useState(false);
  const keyRef = useRef<{ signature: string; key: string } | null>(null);
  const inFlight = useRef(false);
  const fieldErrors = { ...fieldErrorsOf(error), ...local };
  const set = (change: Partial<Draft>) => setDraft((d) => ({ ...d, ...change }));

  async function submit(event: FormEvent) {
    event.preventDefault();
    // A second click while the first is on its way is the same announcement: ignore it here (the key would make the server ignore it too).
    if (inFlight.current) return;
    const problems: Record<string, string> = {};
    if (!draft.title.trim()) problems.title = 'Give the announcement a title.';
    if (!draft.message.trim()) problems.message = 'Write the message.';
    if (!draft.inApp && !draft.email) problems.channels = 'Choose at least one way to send it.';
    setLocal(problems);
    setError(null);
    setOutcome(null);
    if (Object.keys(problems).length) {
      document.getElementById(`${id}-${Object.keys(problems)[0]}`)?.focus();
      return;
    }
    keyRef.current = keyFor(draft, keyRef.current);
    inFlight.current = true;
    setSending(true);
    try {
      const result = await api.post<BroadcastResult>('/edu_admin/notifications/broadcast/', {
        json: {
          ...(draft.classId ? { class_id: Number(draft.classId) } : {}),
          title: draft.title.trim(),
          message: draft.message.trim(),
          channels: [...(draft.inApp ? ['in_app'] : []), ...(draft.email ? ['email'] : [])],
          idempotency_key: keyRef.current.key,
        },
      });
      const audience = draft.classId ? `the students of ${classes.data?.results.find((c) => String(c.id) === draft.classId)?.title ?? `class ${draft.classId}`}` : 'all students';
      setOutcome(
        result.created
          ? {
              ok: true,
              text: `Sent “${result.title}” to ${audience}: ${result.recipients} ${result.recipients === 1 ? 'student' : 'students'}${draft.email ? `, ${result.emails_queued} ${result.emails_queued === 1 ? 'email' : 'emails'} queued` : ''}.`,
            }
          : { ok: true, text: `“${result.title}” was already sent (to ${result.recipients} ${result.recipients === 1 ? 'student' : 'students'}); nothing new was sent.` },
      );
      setDraft(EMPTY);
      keyRef.current = null;
    } catch (err) {
      setError(err);
      setOutcome({ ok: false, text: `Not sent: ${errorMessage(err)}` });
    } finally {
      inFlight.current = false;
      setSending(false);
    }
  }

  return (
    <Page title="Announcements">
      <p className="lead">Tell the students of a class — or every student — something: it appears in their notifications at once (live on open pages) and, if you choose, by email.</p>
      <OutcomeMessage outcome={outcome} />
      <section className="card" aria-labelledby="announce-title">
        <h2 id="announce-title">New announcement</h2>
        <form onSubmit={(e) => void submit(e)} className="stack" noValidate>
          <FormError error={error instanceof ApiError && error.details.length ? error : Object.keys(local).length > 0} fieldErrors={fieldErrors} />
          <div className={`field${fieldErrors.classId ? ' field-invalid' : ''}`}>
            <label htmlFor={`${id}-classId`}>To</label>
            <select id={`${id}-classId`} value={draft.classId} onChange={(e) => set({ classId: e.target.value })} aria-describedby={fieldErrors.classId ? `${id}-classId-error` : `${id}-classId-hint`}>
              <option value="">All students</option>
              {classes.data?.results.map((c) => (
                <option key={c.id} value={String(c.id)}>
                  Students of {c.title} ({c.enrolled_count})
                </option>
              ))}
            </select>
            <p id={`${id}-classId-hint`} className="field-hint">
              {classes.error ? `The classes could not be loaded (${errorMessage(classes.error)}); you can still write to all students.` : 'A class: everyone enrolled in it now.'}
            </p>
            {fieldErrors.classId && (
              <p id={`${id}-classId-error`} className="field-error">
                {fieldErrors.classId}
              </p>
            )}
          </div>
          <Field id={`${id}-title`} label="Title" maxLength={200} value={draft.title} onChange={(e) => set({ title: e.target.value })} error={fieldErrors.title} />
          <div className={`field${fieldErrors.message ? ' field-invalid' : ''}`}>
            <label htmlFor={`${id}-message`}>Message</label>
            <textarea
              id={`${id}-message`}
              rows={5}
              maxLength={5000}
              value={draft.message}
              onChange={(e) => set({ message: e.target.value })}
              aria-invalid={fieldErrors.message ? true : undefined}
              aria-describedby={fieldErrors.message ? `${id}-message-error` : undefined}
            />
            {fieldErrors.message && (
              <p id={`${id}-message-error`} className="field-error">
                {fieldErrors.message}
              </p>
            )}
          </div>
          <fieldset className="choice-group" aria-describedby={fieldErrors.channels ? `${id}-channels-error` : undefined}>
            <legend>Send</legend>
            <label className="check">
              <input id={`${id}-channels`} type="checkbox" checked={draft.inApp} onChange={(e) => set({ inApp: e.target.checked })} />
              In the app
            </label>
            <label className="check">
              <input type="checkbox" checked={draft.email} onChange={(e) => set({ email: e.target.checked })} />
              By email
            </label>
            {fieldErrors.channels && (
              <p id={`${id}-channels-error`} className="field-error">
                {fieldErrors.channels}
              </p>
            )}
          </fieldset>
          <div className="form-actions">
            <button type="submit" className="button primary" disabled={sending}>
              {sending ? 'Sending…' : 'Send announcement'}
            </button>
          </div>
        </form>
      </section>
    </Page>
  );
}
