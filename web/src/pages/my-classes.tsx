import { useEffect } from 'react';
import { Link } from 'react-router';
import { useApi } from '../api/context';
import type { Enrollment, EnrollmentWebinar } from '../api/types';
import { Page } from '../components/page';
import { EmptyState, ErrorState, Loading } from '../components/states';
import { StepIndicator } from '../components/step-indicator';
import { DateTime } from '../components/time';
import { useLiveInbox } from '../live/live-inbox';
import { formatDate, userTimeZone } from '../lib/format';
import { buildIcs, downloadText } from '../lib/ics';
import { registrationProgress } from '../lib/steps';
import { useResource } from '../lib/use-resource';

export function webinarIcs(enrollment: Enrollment, webinar: EnrollmentWebinar, now = new Date()): string | null {
  if (!webinar.start_time) return null;
  const join = webinar.registration?.status === 'approved' ? webinar.registration.join_url : null;
  return buildIcs(
    [
      {
        uid: `educonnect-webinar-${webinar.id}-enrollment-${enrollment.id}@educonnect`,
        title: `${enrollment.class.title}: ${webinar.topic}`,
        start: new Date(webinar.start_time),
        durationMinutes: webinar.duration ?? 60,
        description: join ? `Join on Zoom: ${join}` : 'Your personal Zoom join link appears in EduConnect (My classes) once your registration is approved.',
        location: join ?? 'Zoom',
        ...(join ? { url: join } : {}),
      },
    ],
    now,
  );
}

function fileName(text: string): string {
  return `${text.replace(/[^A-Za-z0-9]+/g, '-').replace(/^-|-$/g, '').toLowerCase() || 'webinar'}.ics`;
}

function WebinarRow({ enrollment, webinar }: { enrollment: Enrollment; webinar: EnrollmentWebinar }) {
  const progress = registrationProgress(enrollment.status, webinar.registration);
  const join = progress.approved ? webinar.registration?.join_url : null;
  const ics = webinarIcs(enrollment, webinar);
  return (
    <li className="webinar-row">
      <div className="webinar-head">
        <h3>{webinar.topic}</h3>
        <p className="muted">
          {webinar.start_time ? <DateTime iso={webinar.start_time} /> : 'Time to be announced'}
          {webinar.duration ? ` · ${webinar.duration} min` : ''}
        </p>
      </div>
      <StepIndicator steps={progress.steps} label={`Registration for ${webinar.topic}`} />
      <p className={progress.problem ? 'status-problem' : 'status-text'}>
        <strong>{progress.summary}.</strong> {progress.problem}
      </p>
      <div className="webinar-actions">
        {join && (
          <a className="button primary" href={join} target="_blank" rel="noopener noreferrer" aria-label={`Join ${webinar.topic} on Zoom`}>
            Join
          </a>
        )}
        {ics && enrollment.status === 'active' && (
          <button type="button" className="button secondary" onClick={() => downloadText(fileName(webinar.topic), ics, 'text/calendar')} aria-label={`Add ${webinar.topic} to calendar`}>
            Add to calendar
          </button>
        )}
      </div>
    </li>
  );
}

/** Notices that change what this page shows. */
const RELOAD_ON = new Set(['class_enrollment', 'webinar_registration', 'webinar_approval', 'registration_problem', 'registration_cancelled']);

export function MyClassesPage() {
  const api = useApi();
  const { subscribe } = useLiveInbox();
  const enrollments = useResource('enrollments', (signal) => api.get<Enrollment[]>('/students/enrollments/', { signal }));
  const { reload } = enrollments;

  useEffect(() => subscribe((event) => event.type === 'notification' && RELOAD_ON.has(event.notification.type) && reload()), [subscribe, reload]);

  const list = enrollments.data ?? [];
  const ordered = [...list].sort((a, b) => (a.status === b.status ? 0 : a.status === 'active' ? -1 : 1));
  return (
    <Page title="My classes">
      <p className="lead">Your classes and their live sessions. Times are shown in your time zone ({userTimeZone()}).</p>
      {enrollments.error ? (
        <ErrorState error={enrollments.error} onRetry={reload} />
      ) : !enrollments.data ? (
        <Loading label="Loading your classes…" />
      ) : list.length === 0 ? (
        <EmptyState title="You are not enrolled in any class yet">
          <p>
            Pick a class in the <Link to="/classes">catalog</Link> and pay for it. Once an admin verifies your receipt, it shows up here. See your{' '}
            <Link to="/payments">payments</Link> for receipts waiting for review.
          </p>
        </EmptyState>
      ) : (
        <div className="stack-lg">
          {ordered.map((enrollment) => (
            <article key={enrollment.id} className={`card enrollment${enrollment.status === 'revoked' ? ' enrollment-revoked' : ''}`} aria-labelledby={`enrollment-${enrollment.id}`}>
              <div className="card-head">
                <h2 id={`enrollment-${enrollment.id}`}>{enrollment.class.title}</h2>
                {enrollment.status === 'active' ? <span className="badge badge-success">Enrolled</span> : <span className="badge badge-muted">Revoked</span>}
              </div>
              <p className="muted small">
                Enrolled {formatDate(enrollment.created_at)}
                {enrollment.revoked_at && ` · revoked ${formatDate(enrollment.revoked_at)}`}
              </p>
              {enrollment.webinars.length === 0 ? (
                <p className="muted">The live sessions of this class will be announced. You will be registered for them automatically.</p>
              ) : (
                <ul className="webinar-rows">
                  {enrollment.webinars.map((webinar) => (
                    <WebinarRow key={webinar.id} enrollment={enrollment} webinar={webinar} />
                  ))}
                </ul>
              )}
            </article>
          ))}
        </div>
      )}
    </Page>
  );
}
