import { useEffect, useState } from 'react';
import { Link, NavLink, Outlet } from 'react-router';
import { useAuth, useUser } from '../auth/auth';
import { useLiveInbox } from '../live/live-inbox';
import { HOME, NAV } from '../nav';
import { Bell } from './bell';

/** A short note when a notification arrives live; also read out by screen readers. */
function LiveToast() {
  const { latest } = useLiveInbox();
  const [dismissed, setDismissed] = useState<number | null>(null);
  useEffect(() => {
    if (!latest) return;
    const id = latest.id;
    const timer = setTimeout(() => setDismissed(id), 8_000);
    return () => clearTimeout(timer);
  }, [latest]);
  const visible = latest && dismissed !== latest.id;
  return (
    <div className="toast-region" role="status" aria-live="polite">
      {visible && (
        <div className="toast">
          <span>
            <strong>New:</strong> {latest.title}
          </span>
          <Link to="/notifications" onClick={() => setDismissed(latest.id)}>
            View
          </Link>
          <button type="button" className="button link" aria-label="Dismiss" onClick={() => setDismissed(latest.id)}>
            ×
          </button>
        </div>
      )}
    </div>
  );
}

/** Every signed-in page: header (brand, the role's links, bell, account), then the page. */
export function Layout() {
  const user = useUser();
  const { signOut } = useAuth();
  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="site-header">
        <div className="header-inner">
          <Link to={HOME[user.role]} className="brand">
            <img src="/favicon.svg" alt="" width="28" height="28" />
            EduConnect
            {user.role === 'admin' && <span className="badge badge-admin">Admin</span>}
          </Link>
          <nav aria-label="Main" className="main-nav">
            <ul>
              {NAV[user.role].map((item) => (
                <li key={item.to}>
                  <NavLink to={item.to}>{item.label}</NavLink>
                </li>
              ))}
            </ul>
          </nav>
          <div className="header-tools">
            <Bell />
            <span className="who" title={user.email}>
              {user.first_name || user.username}
            </span>
            <button type="button" className="button secondary small" onClick={signOut}>
              Sign out
            </button>
          </div>
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        <Outlet />
      </main>
      <LiveToast />
    </>
  );
}
