import { useState } from 'react';
import { Link } from 'react-router';
import { errorMessage } from '../../api/client';
import { useApi } from '../../api/context';
import type { AdminWebinar } from '../../api/types';
import { OutcomeMessage, type Outcome } from '../../components/admin';
import { DateTime, RelativeTime } from '../../components/time';
import { approvalTypeLabel } from '../../lib/admin-words';

export function ReadinessBadge({ webinar }: { webinar: AdminWebinar }) {
  return webinar.registration_ready ? <span className="badge badge-success">Ready for registrations</span> : <span className="badge badge-danger">Not ready</span>;
}

/** Why students cannot be registered yet, in plain view, with the way to fix it. */
export function WebinarProblems({ webinar, showMappingLink = true }: { webinar: AdminWebinar; showMappingLink?: boolean }) {
  if (webinar.problems.length === 0) return null;
  return (
    <div className="alert alert-error webinar-problems">
      <p>
        <strong>Students cannot be registered for this webinar yet.</strong>
      </p>
      <ul>
        {webinar.problems.map((p) => (
          <li key={p}>{p}</li>
        ))}
      </ul>
      {showMappingLink && webinar.unanswered_questions.length > 0 && (
        <p>
          <Link to={`/admin/webinars/${webinar.id}`}>Fix the question mapping</Link>
        </p>
      )}
    </div>
  );
}

export function QuestionsTable({ webinar, unanswered = webinar.unanswered_questions }: { webinar: AdminWebinar; unanswered?: string[] }) {
  if (webinar.questions.length === 0) return <p className="muted small">Zoom asks no registration questions beyond name and email.</p>;
  return (
    <div className="table-wrap">
      <table className="data-table responsive-table">
        <caption>Registration questions in Zoom</caption>
        <thead>
          <tr>
            <th scope="col">Question</th>
            <th scope="col">Kind</th>
            <th scope="col">Required</th>
            <th scope="col">Answers allowed</th>
          </tr>
        </thead>
        <tbody>
          {webinar.questions.map((q) => (
            <tr key={q.key} className={unanswered.includes(q.key) ? 'row-problem' : undefined}>
              <th scope="row" data-label="Question">
                {q.key}
                {unanswered.includes(q.key) && <span className="badge badge-danger">No answer</span>}
              </th>
              <td data-label="Kind">{q.kind === 'standard' ? 'Zoom field' : 'Custom question'}</td>
              <td data-label="Required">{q.required ? 'Required' : 'Optional'}</td>
              <td data-label="Answers allowed">{q.choices ? q.choices.join(', ') : 'Any text'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function WebinarFacts({ webinar }: { webinar: AdminWebinar }) {
  return (
    <dl className="facts">
      <div>
        <dt>Zoom webinar ID</dt>
        <dd>{webinar.zoom_webinar_id}</dd>
      </div>
      <div>
        <dt>Starts</dt>
        <dd>{webinar.start_time ? <DateTime iso={webinar.start_time} /> : 'Recurring, no fixed time'}</dd>
      </div>
      <div>
        <dt>Duration</dt>
        <dd>{webinar.duration ? `${webinar.duration} min` : '—'}</dd>
      </div>
      <div>
        <dt>Approval</dt>
        <dd>{approvalTypeLabel(webinar.approval_type)}</dd>
      </div>
      <div>
        <dt>Synced from Zoom</dt>
        <dd>{webinar.synced_at ? <RelativeTime iso={webinar.synced_at} /> : 'never'}</dd>
      </div>
    </dl>
  );
}

/** The Sync button and what it did: the webinar and its questions fetched again from Zoom. */
export function SyncButton({ webinar, onSynced }: { webinar: AdminWebinar; onSynced: (w: AdminWebinar) => void }) {
  const api = useApi();
  const [busy, setBusy] = useState(false);
  // What the last sync said, and about which state of the webinar: once it changes (a saved mapping
  // makes it ready), the message is no longer true and goes.
  const [outcome, setOutcome] = useState<(Outcome & { about: string }) | null>(null);
  const stateOf = (w: AdminWebinar) => `${w.synced_at}|${w.registration_ready}`;
  async function sync() {
    setBusy(true);
    setOutcome(null);
    try {
      const updated = await api.post<AdminWebinar>(`/edu_admin/webinars/${webinar.id}/sync/`);
      onSynced(updated);
      setOutcome({
        ok: true,
        about: stateOf(updated),
        text: `Synced from Zoom: ${updated.questions.length} ${updated.questions.length === 1 ? 'question' : 'questions'}; ${updated.registration_ready ? 'ready for registrations' : 'not ready yet'}.`,
      });
    } catch (err) {
      setOutcome({ ok: false, about: stateOf(webinar), text: `Not synced: ${errorMessage(err)}` });
    } finally {
      setBusy(false);
    }
  }
  return (
    <div className="sync">
      <button type="button" className="button secondary" onClick={() => void sync()} disabled={busy} aria-describedby={`sync-help-${webinar.id}`}>
        {busy ? 'Syncing…' : 'Sync'}
      </button>
      <span id={`sync-help-${webinar.id}`} className="visually-hidden">
        Fetch {webinar.topic} and its questions from Zoom again
      </span>
      <OutcomeMessage outcome={outcome && outcome.about === stateOf(webinar) ? outcome : null} />
    </div>
  );
}

/** One linked webinar on its class's page. */
export function WebinarCard({ webinar, onChange, highlight }: { webinar: AdminWebinar; onChange: (w: AdminWebinar) => void; highlight?: boolean }) {
  const titleId = `webinar-${webinar.id}-title`;
  return (
    <article className={`card webinar-card${highlight ? ' card-selected' : ''}`} aria-labelledby={titleId}>
      <div className="card-head">
        <h3 id={titleId}>{webinar.topic}</h3>
        <ReadinessBadge webinar={webinar} />
      </div>
      <WebinarFacts webinar={webinar} />
      <WebinarProblems webinar={webinar} />
      <QuestionsTable webinar={webinar} />
      <div className="card-actions-row">
        <Link className="button secondary" to={`/admin/webinars/${webinar.id}`}>
          Question mapping
        </Link>
        <Link className="button link" to={`/admin/registrations?webinar=${webinar.id}`}>
          Registrations
        </Link>
        <SyncButton webinar={webinar} onSynced={onChange} />
      </div>
    </article>
  );
}
