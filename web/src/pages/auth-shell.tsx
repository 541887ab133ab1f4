import { useEffect, type ReactNode } from 'react';

/** The signed-out pages: a centred card with the brand. */
export function AuthShell({ title, children }: { title: string; children: ReactNode }) {
  useEffect(() => {
    document.title = `${title} · EduConnect`;
  }, [title]);
  return (
    <main id="main" className="auth-main">
      <div className="auth-card">
        <p className="brand brand-large">
          <img src="/favicon.svg" alt="" width="36" height="36" />
          EduConnect
        </p>
        <p className="muted">Live classes on Zoom</p>
        <h1>{title}</h1>
        {children}
      </div>
    </main>
  );
}
