import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { loadCatalog } from '../api/catalog';
import { useApi } from '../api/context';
import type { CatalogClass } from '../api/types';
import { Page } from '../components/page';
import { EmptyState, ErrorState, Loading } from '../components/states';
import { DateTime } from '../components/time';
import { formatMoney, sumMoney, userTimeZone } from '../lib/format';
import { useResource } from '../lib/use-resource';

export function payPath(classIds: number[]): string {
  return `/pay?classes=${classIds.join(',')}`;
}

export function WebinarList({ webinars }: { webinars: CatalogClass['webinars'] }) {
  if (webinars.length === 0) return <p className="muted small">Session times will be announced.</p>;
  return (
    <ul className="webinar-list">
      {webinars.map((w) => (
        <li key={w.id}>
          <span className="webinar-topic">{w.topic}</span>
          <span className="muted">
            {w.start_time ? <DateTime iso={w.start_time} /> : 'time to be announced'}
            {w.duration ? ` · ${w.duration} min` : ''}
          </span>
        </li>
      ))}
    </ul>
  );
}

function ClassCard({ cls, selected, onToggle }: { cls: CatalogClass; selected: boolean; onToggle: () => void }) {
  const headingId = `class-${cls.id}-title`;
  const full = cls.seats_left !== null && cls.seats_left <= 0;
  return (
    <article className={`card class-card${selected ? ' card-selected' : ''}`} aria-labelledby={headingId}>
      <div className="card-head">
        <h2 id={headingId}>{cls.title}</h2>
        {cls.is_enrolled && <span className="badge badge-success">Enrolled</span>}
      </div>
      <p>{cls.description}</p>
      <p className="price">
        {formatMoney(cls.price, cls.currency)}
        {cls.seats_left !== null && <span className="muted small"> · {full ? 'Full' : `${cls.seats_left} seats left`}</span>}
      </p>
      <h3 className="subheading">Live sessions</h3>
      <WebinarList webinars={cls.webinars} />
      <div className="card-actions">
        {cls.is_enrolled ? (
          <Link to="/my-classes" className="button secondary">
            Go to My classes
          </Link>
        ) : (
          <>
            <label className="check">
              <input type="checkbox" checked={selected} onChange={onToggle} disabled={full} aria-label={`Select ${cls.title}`} />
              <span aria-hidden="true">Select</span>
            </label>
            {full ? (
              <span className="muted">This class is full.</span>
            ) : (
              <Link to={payPath([cls.id])} className="button primary" aria-label={`Pay for ${cls.title}`}>
                Pay
              </Link>
            )}
          </>
        )}
      </div>
    </article>
  );
}

export function ClassesPage() {
  const api = useApi();
  const navigate = useNavigate();
  const catalog = useResource('catalog', (signal) => loadCatalog(api, signal));
  const [selected, setSelected] = useState<number[]>([]);
  const classes = catalog.data ?? [];
  const chosen = classes.filter((c) => selected.includes(c.id));
  const currencies = [...new Set(chosen.map((c) => c.currency))];

  const toggle = (id: number) => setSelected((ids) => (ids.includes(id) ? ids.filter((x) => x !== id) : [...ids, id]));

  return (
    <Page title="Classes">
      <p className="lead">
        Pay by bank transfer, upload the receipt, and you are enrolled once it is verified. Times are shown in your time zone ({userTimeZone()}).
      </p>
      {catalog.error ? (
        <ErrorState error={catalog.error} onRetry={catalog.reload} />
      ) : !catalog.data ? (
        <Loading label="Loading classes…" />
      ) : classes.length === 0 ? (
        <EmptyState title="No classes are open right now">
          <p>New classes appear here as soon as they open. Check back soon.</p>
        </EmptyState>
      ) : (
        <div className="card-grid">
          {classes.map((cls) => (
            <ClassCard key={cls.id} cls={cls} selected={selected.includes(cls.id)} onToggle={() => toggle(cls.id)} />
          ))}
        </div>
      )}
      {chosen.length > 0 && (
        <div className="selection-bar" role="region" aria-label="Selected classes">
          <p>
            <strong>{chosen.length === 1 ? '1 class selected' : `${chosen.length} classes selected`}</strong>
            {currencies.length === 1 && <> · {formatMoney(sumMoney(chosen.map((c) => c.price)), currencies[0]!)}</>}
          </p>
          <div className="selection-actions">
            <button type="button" className="button secondary" onClick={() => setSelected([])}>
              Clear
            </button>
            <button type="button" className="button primary" onClick={() => navigate(payPath(chosen.map((c) => c.id)))}>
              Pay for selected
            </button>
          </div>
        </div>
      )}
    </Page>
  );
}
