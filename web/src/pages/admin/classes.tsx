import { useRef, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { useApi } from '../../api/context';
import type { AdminClass, Page as ApiPage } from '../../api/types';
import { Page } from '../../components/page';
import { EmptyState, ErrorState, Loading } from '../../components/states';
import { formatMoney } from '../../lib/format';
import { useResource } from '../../lib/use-resource';
import { ClassForm, classBody, EMPTY_CLASS } from './class-form';

/** A class's webinars in one phrase: how many, and whether any needs attention. */
function WebinarSummary({ c }: { c: AdminClass }) {
  if (c.webinars.length === 0) return <span className="badge badge-warning">No webinar yet</span>;
  const notReady = c.webinars.filter((w) => !w.registration_ready).length;
  return (
    <>
      {c.webinars.length} {c.webinars.length === 1 ? 'webinar' : 'webinars'}
      {notReady > 0 ? <span className="badge badge-danger">{notReady} not ready</span> : <span className="badge badge-success">Ready</span>}
    </>
  );
}

/** Admin: every class (open or not) with seats and webinar readiness; create a new one. */
export function AdminClassesPage() {
  const api = useApi();
  const navigate = useNavigate();
  const list = useResource('admin-classes', (signal) => api.get<ApiPage<AdminClass>>('/edu_admin/classes/', { query: { page_size: 100 }, signal }));
  const [creating, setCreating] = useState(false);
  const newButton = useRef<HTMLButtonElement>(null);

  async function create(values: typeof EMPTY_CLASS) {
    const created = await api.post<AdminClass>('/edu_admin/classes/', { json: classBody(values) });
    navigate(`/admin/classes/${created.id}`, { state: { created: true } });
  }

  return (
    <Page
      title="Classes"
      actions={
        !creating && (
          <button ref={newButton} type="button" className="button primary" onClick={() => setCreating(true)}>
            New class
          </button>
        )
      }
    >
      <p className="lead">Each class is paid for once and has its Zoom webinars. Open a class to edit it, link its webinars and answer their registration questions.</p>
      {creating && (
        <section className="card" aria-labelledby="new-class-title">
          <h2 id="new-class-title">New class</h2>
          <ClassForm
            initial={EMPTY_CLASS}
            focusFirst
            submitLabel="Create class"
            busyLabel="Creating…"
            onSubmit={create}
            onCancel={() => {
              setCreating(false);
              setTimeout(() => newButton.current?.focus());
            }}
          />
        </section>
      )}
      {list.error && !list.data ? (
        <ErrorState error={list.error} onRetry={list.reload} />
      ) : !list.data ? (
        <Loading label="Loading classes…" />
      ) : list.data.results.length === 0 ? (
        <EmptyState title="No classes yet">
          <p>Create the first class with “New class”; then link its Zoom webinar.</p>
        </EmptyState>
      ) : (
        <div className="table-wrap">
          <table className="data-table responsive-table">
            <caption className="visually-hidden">Classes</caption>
            <thead>
              <tr>
                <th scope="col">Class</th>
                <th scope="col">Price</th>
                <th scope="col">Enrolled</th>
                <th scope="col">Webinars</th>
                <th scope="col">Catalog</th>
              </tr>
            </thead>
            <tbody>
              {list.data.results.map((c) => (
                <tr key={c.id}>
                  <th scope="row" data-label="Class">
                    <Link to={`/admin/classes/${c.id}`}>{c.title}</Link>
                  </th>
                  <td data-label="Price">{formatMoney(c.price, c.currency)}</td>
                  <td data-label="Enrolled">
                    {c.enrolled_count}
                    {c.capacity !== null && ` of ${c.capacity}`}
                    {c.seats_left === 0 && <span className="badge badge-warning">Full</span>}
                  </td>
                  <td data-label="Webinars">
                    <WebinarSummary c={c} />
                  </td>
                  <td data-label="Catalog">{c.is_active ? <span className="badge badge-success">Open</span> : <span className="badge badge-muted">Hidden</span>}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {list.data && list.data.count > list.data.results.length && <p className="muted small">Showing the first {list.data.results.length} of {list.data.count}.</p>}
    </Page>
  );
}
