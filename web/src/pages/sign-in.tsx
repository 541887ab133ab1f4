import { useState, type FormEvent } from 'react';
import { Link, useLocation, useNavigate } from 'react-router';
import { useAuth } from '../auth/auth';
import { Field } from '../components/field';
import { FormError } from '../components/states';
import { HOME } from '../nav';
import { AuthShell } from './auth-shell';

/** Where to go after signing in: back where the person was sent from, if it was a page of ours. */
function nextPath(search: string): string | null {
  const next = new URLSearchParams(search).get('next');
  return next && next.startsWith('/') && !next.startsWith('//') ? next : null;
}

export function SignInPage() {
  const { signIn, notice } = useAuth();
  const navigate = useNavigate();
  const location = useLocation();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const user = await signIn(username.trim(), password);
      navigate(nextPath(location.search) ?? HOME[user.role], { replace: true });
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  }

  return (
    <AuthShell title="Sign in">
      {notice && !error && (
        <div className="alert alert-info" role="status">
          {notice}
        </div>
      )}
      <FormError error={error} />
      <form onSubmit={(e) => void onSubmit(e)} className="stack">
        <Field label="Username" name="username" autoComplete="username" required value={username} onChange={(e) => setUsername(e.target.value)} hint="Your username or email" />
        <Field label="Password" name="password" type="password" autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.target.value)} />
        <button type="submit" className="button primary" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
      <p className="auth-switch">
        New to EduConnect? <Link to="/signup">Create an account</Link>
      </p>
    </AuthShell>
  );
}
