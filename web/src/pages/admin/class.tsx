import { useId, useState, type FormEvent } from 'react';
import { Link, useLocation, useParams } from 'react-router';
import { ApiError, errorMessage } from '../../api/client';
import { useApi } from '../../api/context';
import type { AdminClass, AdminWebinar } from '../../api/types';
import { OutcomeMessage, type Outcome } from '../../components/admin';
import { Field } from '../../components/field';
import { Page } from '../../components/page';
import { EmptyState, ErrorState, Loading } from '../../components/states';
import { userTimeZone } from '../../lib/format';
import { useResource } from '../../lib/use-resource';
import { ClassForm, classBody, classValues } from './class-form';
import { WebinarCard } from './webinar-card';

type LinkMode = 'existing' | 'create';

/** A datetime-local value an hour from now, on the hour. */
function nextHourLocal(days = 7): string {
  const d = new Date(Date.now() + days * 86_400_000);
  d.setMinutes(0, 0, 0);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:00`;
}

/** The validator's messages for the link form, by field. */
function linkFieldErrors(error: unknown): Record<string, string> {
  if (!(error instanceof ApiError)) return {};
  const out: Record<string, string> = {};
  for (const [field, message] of Object.entries(error.fieldErrors())) {
    const name = field.replace(/^create\./, '');
    if (name === 'zoom_webinar_id') out.zoom_webinar_id = 'Enter the webinar ID from Zoom: 9 to 20 digits, no spaces.';
    else out[name] ??= message.charAt(0).toUpperCase() + message.slice(1);
  }
  return out;
}

/** Link an existing Zoom webinar by its ID, or create one in Zoom and link it. */
function LinkWebinarForm({ classId, onLinked }: { classId: number; onLinked: (w: AdminWebinar) => void }) {
  const api = useApi();
  const id = useId();
  const [mode, setMode] = useState<LinkMode>('existing');
  const [zoomId, setZoomId] = useState('');
  const [topic, setTopic] = useState('');
  const [start, setStart] = useState(nextHourLocal);
  const [duration, setDuration] = useState('60');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [local, setLocal] = useState<Record<string, string>>({});
  const fieldErrors = { ...linkFieldErrors(error), ...local };
  // Errors that name no field (Zoom's refusals: not found, registration off, already linked) show above the form.
  const general = error && Object.keys(linkFieldErrors(error)).length === 0 ? errorMessage(error) : null;

  async function submit(event: FormEvent) {
    event.preventDefault();
    setError(null);
    const problems: Record<string, string> = {};
    const digits = zoomId.replace(/\s+/g, '');
    if (mode === 'existing' && !/^\d{9,20}$/.test(digits)) problems.zoom_webinar_id = 'Enter the webinar ID from Zoom: 9 to 20 digits, no spaces.';
    if (mode === 'create') {
      if (!topic.trim()) problems.topic = 'Give the webinar a topic.';
      if (!start || Number.isNaN(new Date(start).getTime())) problems.start_time = 'Choose the date and time it starts.';
      if (!(Number(duration) >= 1 && Number(duration) <= 1440)) problems.duration = 'Between 1 and 1440 minutes.';
    }
    setLocal(problems);
    if (Object.keys(problems).length) {
      document.getElementById(`${id}-${Object.keys(problems)[0]}`)?.focus();
      return;
    }
    setBusy(true);
    try {
      const body =
        mode === 'existing'
          ? { zoom_webinar_id: digits }
          : { create: { topic: topic.trim(), start_time: new Date(start).toISOString(), duration: Number(duration), timezone: userTimeZone() } };
      const webinar = await api.post<AdminWebinar>(`/edu_admin/classes/${classId}/webinars/`, { json: body });
      setZoomId('');
      setTopic('');
      onLinked(webinar);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form onSubmit={(e) => void submit(e)} className="stack" noValidate aria-labelledby="link-title">
      <fieldset className="choice-group">
        <legend>How</legend>
        <label className="check">
          <input type="radio" name="link-mode" checked={mode === 'existing'} onChange={() => setMode('existing')} />
          Link a webinar that exists in Zoom
        </label>
        <label className="check">
          <input type="radio" name="link-mode" checked={mode === 'create'} onChange={() => setMode('create')} />
          Create a new webinar in Zoom (manual approval)
        </label>
      </fieldset>
      {general && (
        <div className="alert alert-error" role="alert">
          {general}
        </div>
      )}
      {mode === 'existing' ? (
        <Field
          id={`${id}-zoom_webinar_id`}
          label="Zoom webinar ID"
          inputMode="numeric"
          autoComplete="off"
          value={zoomId}
          onChange={(e) => setZoomId(e.target.value)}
          error={fieldErrors.zoom_webinar_id}
          hint="The number in the webinar’s Zoom link, e.g. 81234567890"
          className="field-medium"
        />
      ) : (
        <>
          <Field id={`${id}-topic`} label="Topic" maxLength={200} value={topic} onChange={(e) => setTopic(e.target.value)} error={fieldErrors.topic} />
          <div className="row-2">
            <Field id={`${id}-start_time`} label="Starts" type="datetime-local" value={start} onChange={(e) => setStart(e.target.value)} error={fieldErrors.start_time} hint={`Your time zone: ${userTimeZone()}`} />
            <Field id={`${id}-duration`} label="Duration (minutes)" type="number" min={1} max={1440} inputMode="numeric" value={duration} onChange={(e) => setDuration(e.target.value)} error={fieldErrors.duration} />
          </div>
        </>
      )}
      <div className="form-actions">
        <button type="submit" className="button primary" disabled={busy}>
          {busy ? (mode === 'existing' ? 'Fetching it from Zoom…' : 'Creating it in Zoom…') : mode === 'existing' ? 'Link webinar' : 'Create in Zoom and link'}
        </button>
      </div>
    </form>
  );
}

/** Admin: one class — its details, its webinars with their readiness and questions, and linking more. */
export function AdminClassPage() {
  const api = useApi();
  const { id } = useParams();
  const location = useLocation();
  const classId = Number(id);
  const cls = useResource(`admin-class-${classId}`, (signal) => api.get<AdminClass>(`/edu_admin/classes/${classId}/`, { signal }));
  const [outcome, setOutcome] = useState<Outcome | null>(() => ((location.state as { created?: boolean } | null)?.created ? { ok: true, text: 'Class created. Now link its Zoom webinar below.' } : null));
  const [linkedId, setLinkedId] = useState<number | null>(null);
  const [formVersion, setFormVersion] = useState(0);

  const replaceWebinar = (w: AdminWebinar) => cls.setData((c) => ({ ...c, webinars: c.webinars.some((x) => x.id === w.id) ? c.webinars.map((x) => (x.id === w.id ? w : x)) : [...c.webinars, w] }));

  async function save(values: ReturnType<typeof classValues>) {
    if (!cls.data) return;
    const body = classBody(values, classValues(cls.data));
    if (Object.keys(body).length === 0) {
      setOutcome({ ok: true, text: 'Nothing changed.' });
      return;
    }
    const updated = await api.patch<AdminClass>(`/edu_admin/classes/${classId}/`, { json: body });
    cls.setData(() => updated);
    setFormVersion((v) => v + 1);
    setOutcome({ ok: true, text: `Saved “${updated.title}”.` });
  }

  if (cls.error && !cls.data)
    return (
      <Page title="Class">
        <ErrorState error={cls.error} onRetry={cls.reload} />
      </Page>
    );
  if (!cls.data)
    return (
      <Page title="Class">
        <Loading label="Loading the class…" />
      </Page>
    );
  const c = cls.data;
  return (
    <Page title={c.title} actions={<Link to="/admin/classes">All classes</Link>} wide>
      <p className="muted">
        {c.enrolled_count} enrolled{c.capacity !== null ? ` of ${c.capacity} seats` : ', no seat limit'} · {c.is_active ? 'open in the catalog' : 'hidden from the catalog'}
      </p>
      <OutcomeMessage outcome={outcome} />
      <div className="class-admin-layout">
        <section className="card" aria-labelledby="details-title">
          <h2 id="details-title">Details</h2>
          <ClassForm key={`${c.id}-${formVersion}`} initial={classValues(c)} submitLabel="Save changes" busyLabel="Saving…" onSubmit={save} />
        </section>
        <div className="stack-lg">
          <section aria-labelledby="webinars-title" className="stack">
            <h2 id="webinars-title">Webinars</h2>
            {c.webinars.length === 0 ? (
              <EmptyState title="No webinar linked yet">
                <p>Students who pay for this class are registered for its webinars. Link one below.</p>
              </EmptyState>
            ) : (
              c.webinars.map((w) => <WebinarCard key={w.id} webinar={w} onChange={replaceWebinar} highlight={w.id === linkedId} />)
            )}
          </section>
          <section className="card" aria-labelledby="link-title">
            <h2 id="link-title">Link a Zoom webinar</h2>
            <LinkWebinarForm
              classId={c.id}
              onLinked={(w) => {
                replaceWebinar(w);
                setLinkedId(w.id);
                setOutcome({
                  ok: w.registration_ready,
                  text: w.registration_ready ? `Linked “${w.topic}”: ready for registrations.` : `Linked “${w.topic}”, but students cannot be registered yet: ${w.problems.join(' ')}`,
                });
                setTimeout(() => document.getElementById(`webinar-${w.id}-title`)?.scrollIntoView({ block: 'nearest' }));
              }}
            />
          </section>
        </div>
      </div>
    </Page>
  );
}
