import { lazy, Suspense, type ReactNode } from 'react';
import { BrowserRouter, Navigate, Outlet, Route, Routes, useLocation } from 'react-router';
import type { ApiClient } from './api/client';
import { ApiProvider } from './api/context';
import type { Role } from './api/types';
import { AuthProvider, useAuth } from './auth/auth';
import { Layout } from './components/layout';
import { Page } from './components/page';
import { ErrorState, Loading } from './components/states';
import { LiveInboxProvider } from './live/live-inbox';
import { HOME } from './nav';
import { AnnouncementsPage } from './pages/admin/announcements';
import { AdminClassPage } from './pages/admin/class';
import { AdminClassesPage } from './pages/admin/classes';
import { EmailLogPage } from './pages/admin/email-log';
import { ReceiptsQueuePage } from './pages/admin/receipts';
import { RegistrationsPage } from './pages/admin/registrations';
import { AdminWebinarPage } from './pages/admin/webinar';
import { ClassesPage } from './pages/classes';
import { MyClassesPage } from './pages/my-classes';
import { NotificationsPage } from './pages/notifications';
import { PayPage } from './pages/pay';
import { PaymentsPage } from './pages/payments';
import { PreferencesPage } from './pages/preferences';
import { SignInPage } from './pages/sign-in';
import { SignUpPage } from './pages/sign-up';

/** The reports page brings the charting library: loaded only when an admin opens it. */
const ReportsPage = lazy(() => import('./pages/admin/reports').then((m) => ({ default: m.ReportsPage })));

function LazyPage({ children, title }: { children: ReactNode; title: string }) {
  return (
    <Suspense
      fallback={
        <Page title={title}>
          <Loading label={`Loading ${title.toLowerCase()}…`} />
        </Page>
      }
    >
      {children}
    </Suspense>
  );
}

function Starting() {
  return (
    <main id="main" className="auth-main">
      <Loading label="Starting EduConnect…" />
    </main>
  );
}

/** Signed-in pages: wait for the session, send others to sign in (and back here afterwards). */
function RequireSession() {
  const { status, retry } = useAuth();
  const location = useLocation();
  if (status === 'loading') return <Starting />;
  if (status === 'unreachable')
    return (
      <main id="main" className="auth-main">
        <ErrorState title="EduConnect cannot be reached" error={new Error('The server did not answer. Check your connection.')} onRetry={retry} />
      </main>
    );
  if (status === 'signed_out') {
    const here = `${location.pathname}${location.search}`;
    return <Navigate to={here === '/' ? '/signin' : `/signin?next=${encodeURIComponent(here)}`} replace />;
  }
  return (
    <LiveInboxProvider>
      <Layout />
    </LiveInboxProvider>
  );
}

/** Sign-in and sign-up are for people without a session. */
function SignedOutOnly({ children }: { children: ReactNode }) {
  const { status, user } = useAuth();
  if (status === 'loading') return <Starting />;
  if (status === 'signed_in' && user) return <Navigate to={HOME[user.role]} replace />;
  return children;
}

function RoleOnly({ role }: { role: Role }) {
  const { user } = useAuth();
  if (user?.role !== role)
    return (
      <Page title="Not available">
        <p>This page is for {role === 'admin' ? 'admins' : 'students'}.</p>
      </Page>
    );
  return <Outlet />;
}

function Home() {
  const { user } = useAuth();
  return <Navigate to={user ? HOME[user.role] : '/signin'} replace />;
}

function NotFoundPage() {
  return (
    <Page title="Page not found">
      <p>There is no page at this address. Use the links at the top to find your way.</p>
    </Page>
  );
}

export function AppRoutes() {
  return (
    <Routes>
      <Route
        path="/signin"
        element={
          <SignedOutOnly>
            <SignInPage />
          </SignedOutOnly>
        }
      />
      <Route
        path="/signup"
        element={
          <SignedOutOnly>
            <SignUpPage />
          </SignedOutOnly>
        }
      />
      <Route element={<RequireSession />}>
        <Route index element={<Home />} />
        <Route element={<RoleOnly role="student" />}>
          <Route path="classes" element={<ClassesPage />} />
          <Route path="pay" element={<PayPage />} />
          <Route path="my-classes" element={<MyClassesPage />} />
          <Route path="payments" element={<PaymentsPage />} />
        </Route>
        <Route path="notifications" element={<NotificationsPage />} />
        <Route path="notifications/preferences" element={<PreferencesPage />} />
        <Route path="admin" element={<RoleOnly role="admin" />}>
          <Route index element={<Navigate to="receipts" replace />} />
          <Route path="receipts" element={<ReceiptsQueuePage />} />
          <Route path="classes" element={<AdminClassesPage />} />
          <Route path="classes/:id" element={<AdminClassPage />} />
          <Route path="webinars/:id" element={<AdminWebinarPage />} />
          <Route path="registrations" element={<RegistrationsPage />} />
          <Route
            path="reports"
            element={
              <LazyPage title="Reports">
                <ReportsPage />
              </LazyPage>
            }
          />
          <Route path="announcements" element={<AnnouncementsPage />} />
          <Route path="email-log" element={<EmailLogPage />} />
        </Route>
        <Route path="*" element={<NotFoundPage />} />
      </Route>
    </Routes>
  );
}

export function App({ api }: { api: ApiClient }) {
  return (
    <ApiProvider client={api}>
      <AuthProvider>
        <BrowserRouter>
          <AppRoutes />
        </BrowserRouter>
      </AuthProvider>
    </ApiProvider>
  );
}
