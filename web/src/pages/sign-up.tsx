import { useState, type FormEvent } from 'react';
import { Link, useNavigate } from 'react-router';
import { ApiError } from '../api/client';
import { useAuth, type SignUpInput } from '../auth/auth';
import { Field } from '../components/field';
import { FormError } from '../components/states';
import { HOME } from '../nav';
import { AuthShell } from './auth-shell';

const EMPTY: SignUpInput = { username: '', email: '', password: '', first_name: '', last_name: '' };

/** The validator's words, said for a person. */
function humanize(field: string, message: string): string {
  if (message.startsWith('must match format "email"')) return 'Enter an email address like name@example.org.';
  if (field === 'username' && message.startsWith('must match pattern')) return 'Use 3–150 letters, digits and _ . + - (no spaces).';
  if (/must NOT have fewer than 1 character/.test(message) || /must match pattern "\\S"/.test(message)) return 'This is required.';
  const fewer = /must NOT have fewer than (\d+) characters/.exec(message);
  if (fewer) return `Use at least ${fewer[1]} characters.`;
  return message.charAt(0).toUpperCase() + message.slice(1);
}

/** Conflicts name a field too: show them beside it. */
function fieldErrorsOf(error: unknown): Record<string, string> {
  if (!(error instanceof ApiError)) return {};
  if (error.code === 'username_taken') return { username: error.message };
  if (error.code === 'email_taken') return { email: error.message };
  return Object.fromEntries(Object.entries(error.fieldErrors()).map(([field, message]) => [field, humanize(field, message)]));
}

export function SignUpPage() {
  const { signUp } = useAuth();
  const navigate = useNavigate();
  const [form, setForm] = useState<SignUpInput>(EMPTY);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const fieldErrors = fieldErrorsOf(error);
  const set = (name: keyof SignUpInput) => (event: { target: { value: string } }) => setForm((f) => ({ ...f, [name]: event.target.value }));

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const user = await signUp({ ...form, username: form.username.trim(), email: form.email.trim(), first_name: form.first_name.trim(), last_name: form.last_name.trim() });
      navigate(HOME[user.role], { replace: true });
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  }

  return (
    <AuthShell title="Create your account">
      <FormError error={error} fieldErrors={fieldErrors} />
      <form onSubmit={(e) => void onSubmit(e)} className="stack" noValidate>
        <Field label="Username" name="username" autoComplete="username" required minLength={3} maxLength={150} value={form.username} onChange={set('username')} error={fieldErrors.username} hint="3–150 letters, digits and _ . + -" />
        <Field label="Email" name="email" type="email" autoComplete="email" required value={form.email} onChange={set('email')} error={fieldErrors.email} />
        <Field label="Password" name="password" type="password" autoComplete="new-password" required minLength={8} value={form.password} onChange={set('password')} error={fieldErrors.password} hint="At least 8 characters" />
        <div className="row-2">
          <Field label="First name" name="first_name" autoComplete="given-name" required value={form.first_name} onChange={set('first_name')} error={fieldErrors.first_name} />
          <Field label="Last name" name="last_name" autoComplete="family-name" value={form.last_name} onChange={set('last_name')} error={fieldErrors.last_name} />
        </div>
        <button type="submit" className="button primary" disabled={busy}>
          {busy ? 'Creating your account…' : 'Create account'}
        </button>
      </form>
      <p className="auth-switch">
        Already have an account? <Link to="/signin">Sign in</Link>
      </p>
    </AuthShell>
  );
}
