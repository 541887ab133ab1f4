import { useMemo, useState, type FormEvent } from 'react';
import { Link, useParams } from 'react-router';
import { errorMessage } from '../../api/client';
import { useApi } from '../../api/context';
import type { AdminWebinar, AnswerSource, QuestionMapping } from '../../api/types';
import { OutcomeMessage, type Outcome } from '../../components/admin';
import { Page } from '../../components/page';
import { ErrorState, Loading } from '../../components/states';
import { bodyFromRows, describeRule, invalidRows, mappingFieldErrors, maxAnswerLength, rowProblem, rowsFromMapping, SOURCES, unansweredKeys, type AnswerMode, type MappingRow } from '../../lib/mapping';
import { useResource } from '../../lib/use-resource';
import { ReadinessBadge, SyncButton, WebinarFacts, WebinarProblems } from './webinar-card';

function MappingRowFields({ row, index, serverError, onChange }: { row: MappingRow; index: number; serverError?: string; onChange: (row: MappingRow) => void }) {
  const problem = rowProblem(row);
  // Zoom's enumerated fields list "" as an answer; it is no answer, so it is the select's empty option.
  const choices = row.choices?.filter((c) => c !== '') ?? null;
  const message = serverError ?? problem;
  const base = `q${index}`;
  const describedBy = message ? `${base}-error` : undefined;
  const modes: Array<{ mode: AnswerMode; label: string }> = [
    { mode: 'fixed', label: row.choices ? 'Fixed answer' : 'Fixed text' },
    ...(row.choices ? [] : [{ mode: 'from' as const, label: 'From the student or payment' }]),
    ...(row.required || row.default ? [] : [{ mode: 'none' as const, label: 'Leave empty' }]),
  ];
  return (
    <fieldset className={`mapping-row${message ? ' row-problem' : ''}`} aria-describedby={describedBy}>
      <legend>
        <span className="mapping-key">{row.key}</span>
        {row.required ? <span className="badge badge-warning">Required</span> : <span className="badge badge-muted">Optional</span>}
        <span className="muted small"> {row.kind === 'standard' ? 'Zoom field' : 'Custom question'}</span>
      </legend>
      {choices && <p className="small muted">Answers allowed: {choices.join(', ')}</p>}
      {modes.length > 1 && (
        <div className="mode-choices" role="radiogroup" aria-label={`How to answer ${row.key}`}>
          {modes.map((m) => (
            <label key={m.mode} className="check">
              <input type="radio" name={`${base}-mode`} checked={row.mode === m.mode} onChange={() => onChange({ ...row, mode: m.mode })} />
              {m.label}
            </label>
          ))}
        </div>
      )}
      {row.mode === 'fixed' &&
        (choices ? (
          <div className="field">
            <label htmlFor={`${base}-fixed`}>Answer</label>
            <select id={`${base}-fixed`} value={choices.includes(row.fixed) ? row.fixed : ''} onChange={(e) => onChange({ ...row, fixed: e.target.value })} aria-invalid={message ? true : undefined} aria-describedby={describedBy}>
              <option value="">Choose an answer…</option>
              {choices.map((c) => (
                <option key={c} value={c}>
                  {c}
                </option>
              ))}
            </select>
          </div>
        ) : (
          <div className="field">
            <label htmlFor={`${base}-fixed`}>Answer text</label>
            <input id={`${base}-fixed`} value={row.fixed} maxLength={maxAnswerLength(row)} onChange={(e) => onChange({ ...row, fixed: e.target.value })} aria-invalid={message ? true : undefined} aria-describedby={describedBy} />
          </div>
        ))}
      {row.mode === 'from' && (
        <div className="field">
          <label htmlFor={`${base}-from`}>Field</label>
          <select id={`${base}-from`} value={row.from} onChange={(e) => onChange({ ...row, from: e.target.value as AnswerSource })}>
            {SOURCES.map((s) => (
              <option key={s.value} value={s.value}>
                {s.label}
              </option>
            ))}
          </select>
        </div>
      )}
      {row.default && <p className="field-hint">Default: {describeRule(row.default)}</p>}
      {message && (
        <p id={`${base}-error`} className="field-error">
          {message}
        </p>
      )}
    </fieldset>
  );
}

/** How each registration question is answered for a student: fixed text or a student/payment field. */
function MappingEditor({ mapping, onSaved }: { mapping: QuestionMapping; onSaved: (m: QuestionMapping) => void }) {
  const api = useApi();
  const [rows, setRows] = useState(() => rowsFromMapping(mapping));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const keys = useMemo(() => rows.map((r) => r.key), [rows]);
  const serverErrors = mappingFieldErrors(error, keys);
  const unanswered = unansweredKeys(rows);
  const saved = useMemo(() => JSON.stringify(bodyFromRows(rowsFromMapping(mapping))), [mapping]);
  const dirty = JSON.stringify(bodyFromRows(rows)) !== saved;

  async function submit(event: FormEvent) {
    event.preventDefault();
    setError(null);
    setOutcome(null);
    const blocking = invalidRows(rows);
    const invalid = blocking.length ? rows.indexOf(blocking[0]!) : -1;
    if (invalid >= 0) {
      document.querySelectorAll<HTMLElement>('.mapping-row')[invalid]?.querySelector<HTMLElement>('select, input:not([type=radio]), input:checked')?.focus();
      setOutcome({ ok: false, text: 'An answer is not allowed for its question: see the message beside it.' });
      return;
    }
    setBusy(true);
    try {
      const answer = await api.put<QuestionMapping>(`/edu_admin/webinars/${mapping.webinar_id}/question-mapping/`, { json: bodyFromRows(rows) });
      setRows(rowsFromMapping(answer));
      onSaved(answer);
      setOutcome({ ok: answer.unanswered.length === 0, text: answer.unanswered.length === 0 ? 'Saved. Every required question has an answer.' : `Saved, but still without an answer: ${answer.unanswered.join(', ')}.` });
    } catch (err) {
      setError(err);
      const marked = Object.keys(mappingFieldErrors(err, keys)).length;
      setOutcome({ ok: false, text: marked ? `Not saved: ${marked === 1 ? 'one answer is' : `${marked} answers are`} refused — see the message beside the question.` : `Not saved: ${errorMessage(err)}` });
    } finally {
      setBusy(false);
    }
  }

  if (rows.length === 0) return <p className="muted">Zoom asks nothing beyond the student’s name and email: there is nothing to map.</p>;
  return (
    <form onSubmit={(e) => void submit(e)} className="stack" noValidate>
      {unanswered.length > 0 ? (
        <div className="alert alert-warning">
          <strong>{unanswered.length === 1 ? 'One required question has no answer' : `${unanswered.length} required questions have no answer`}:</strong> {unanswered.map((k) => `“${k}”`).join(', ')}. Registrations for this webinar fail until {unanswered.length === 1 ? 'it is' : 'they are'} answered.
        </div>
      ) : (
        <p className="text-success">Every required question has an answer{dirty ? ' (once saved)' : ''}.</p>
      )}
      {rows.map((row, i) => (
        <MappingRowFields key={row.key} row={row} index={i} serverError={serverErrors[row.key]} onChange={(next) => setRows((all) => all.map((r, j) => (j === i ? next : r)))} />
      ))}
      <OutcomeMessage outcome={outcome} />
      <div className="form-actions">
        <button type="submit" className="button primary" disabled={busy}>
          {busy ? 'Saving…' : 'Save answers'}
        </button>
        <button
          type="button"
          className="button secondary"
          disabled={busy || !dirty}
          onClick={() => {
            setRows(rowsFromMapping(mapping));
            setError(null);
                }}
        >
          Undo changes
        </button>
      </div>
    </form>
  );
}

/** Admin: one webinar — what Zoom says about it, Sync, and its question mapping. */
export function AdminWebinarPage() {
  const api = useApi();
  const webinarId = Number(useParams().id);
  const webinar = useResource(`admin-webinar-${webinarId}`, (signal) => api.get<AdminWebinar>(`/edu_admin/webinars/${webinarId}/`, { signal }));
  // Questions can change with a sync: the mapping is loaded again for each.
  const syncedAt = webinar.data?.synced_at ?? '';
  const mapping = useResource(`admin-mapping-${webinarId}-${syncedAt}`, (signal) => api.get<QuestionMapping>(`/edu_admin/webinars/${webinarId}/question-mapping/`, { signal }));

  if (webinar.error && !webinar.data)
    return (
      <Page title="Webinar">
        <ErrorState error={webinar.error} onRetry={webinar.reload} />
      </Page>
    );
  if (!webinar.data)
    return (
      <Page title="Webinar">
        <Loading label="Loading the webinar…" />
      </Page>
    );
  const w = webinar.data;
  return (
    <Page title={w.topic} actions={<Link to={`/admin/classes/${w.class_id}`}>Back to the class</Link>} wide>
      <div className="class-admin-layout">
        <section className="card stack" aria-labelledby="zoom-title">
          <div className="card-head">
            <h2 id="zoom-title">In Zoom</h2>
            <ReadinessBadge webinar={w} />
          </div>
          <WebinarFacts webinar={w} />
          <WebinarProblems webinar={w} showMappingLink={false} />
          <SyncButton webinar={w} onSynced={(updated) => webinar.setData(() => updated)} />
        </section>
        <section className="card" aria-labelledby="mapping-title">
          <h2 id="mapping-title">Question mapping</h2>
          <p className="muted small">How EduConnect answers each of Zoom’s registration questions for every student it registers.</p>
          {mapping.error && !mapping.data ? (
            <ErrorState error={mapping.error} onRetry={mapping.reload} />
          ) : !mapping.data || mapping.loading ? (
            <Loading label="Loading the questions…" />
          ) : (
            <MappingEditor key={`${syncedAt}`} mapping={mapping.data} onSaved={(m) => {
              mapping.setData(() => m);
              webinar.reload();
            }} />
          )}
        </section>
      </div>
    </Page>
  );
}
