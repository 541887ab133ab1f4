import { useState } from 'react';
import { Link } from 'react-router';
import { errorMessage } from '../api/client';
import { useApi } from '../api/context';
import type { NotificationPreference } from '../api/types';
import { Page } from '../components/page';
import { ErrorState, Loading } from '../components/states';
import { useResource } from '../lib/use-resource';

type Channel = 'in_app' | 'email';
const CHANNELS: Array<{ key: Channel; label: string }> = [
  { key: 'in_app', label: 'In the app' },
  { key: 'email', label: 'Email' },
];

export function PreferencesPage() {
  const api = useApi();
  const prefs = useResource('preferences', (signal) => api.get<{ preferences: NotificationPreference[] }>('/students/notification-preferences/', { signal }));
  const [saving, setSaving] = useState<string | null>(null);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);

  const setSwitch = (type: string, channel: Channel, enabled: boolean) =>
    prefs.setData((data) => ({
      preferences: data.preferences.map((p) => (p.type === type ? { ...p, channels: { ...p.channels, [channel]: { ...p.channels[channel], enabled } } } : p)),
    }));

  /** The switch moves at once; the server's answer confirms it, or it moves back with the server's message. */
  async function toggle(pref: NotificationPreference, channel: Channel, enabled: boolean) {
    setSaving(`${pref.type}:${channel}`);
    setMessage(null);
    setSwitch(pref.type, channel, enabled);
    try {
      const answer = await api.put<{ preferences: NotificationPreference[] }>('/students/notification-preferences/', { json: { preferences: [{ type: pref.type, channel, enabled }] } });
      prefs.setData(() => answer);
      setMessage({ ok: true, text: `Saved: ${pref.title} — ${channel === 'email' ? 'email' : 'in the app'} ${enabled ? 'on' : 'off'}.` });
    } catch (err) {
      setSwitch(pref.type, channel, !enabled);
      setMessage({ ok: false, text: `Not saved: ${errorMessage(err)}` });
    } finally {
      setSaving(null);
    }
  }

  return (
    <Page title="Notification preferences" actions={<Link to="/notifications">Back to notifications</Link>}>
      <p className="lead">Choose how you hear about each kind of event. Essential ones — enrollment, your join link and payment outcomes — always reach you in the app.</p>
      <div className="save-status" role="status" aria-live="polite">
        {message && <p className={message.ok ? 'text-success' : 'field-error'}>{message.text}</p>}
      </div>
      {prefs.error && !prefs.data ? (
        <ErrorState error={prefs.error} onRetry={prefs.reload} />
      ) : !prefs.data ? (
        <Loading />
      ) : (
        <div className="table-wrap">
          <table className="prefs-table">
            <caption className="visually-hidden">Notification switches per kind and channel</caption>
            <thead>
              <tr>
                <th scope="col">Notification</th>
                {CHANNELS.map((c) => (
                  <th scope="col" key={c.key}>
                    {c.label}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {prefs.data.preferences.map((pref) => (
                <tr key={pref.type}>
                  <th scope="row">
                    <span className="pref-title">{pref.title}</span>
                    {pref.essential && <span className="badge badge-muted">Essential</span>}
                    <span className="muted small pref-description">{pref.description}</span>
                  </th>
                  {CHANNELS.map((c) => {
                    const sw = pref.channels[c.key];
                    return (
                      <td key={c.key}>
                        <label className="switch">
                          <input
                            type="checkbox"
                            checked={sw.enabled}
                            disabled={sw.locked || saving === `${pref.type}:${c.key}`}
                            onChange={(e) => void toggle(pref, c.key, e.target.checked)}
                            aria-label={`${pref.title}: ${c.label}${sw.locked ? ' (always on)' : ''}`}
                          />
                          <span aria-hidden="true" className="switch-text">
                            {sw.locked && (
                              <svg viewBox="0 0 16 16" width="14" height="14" focusable="false">
                                <path fill="currentColor" d="M5 7V5a3 3 0 0 1 6 0v2h.5A1.5 1.5 0 0 1 13 8.5v5a1.5 1.5 0 0 1-1.5 1.5h-7A1.5 1.5 0 0 1 3 13.5v-5A1.5 1.5 0 0 1 4.5 7H5Zm1.5 0h3V5a1.5 1.5 0 0 0-3 0v2Z" />
                              </svg>
                            )}
                            {sw.locked ? 'Always on' : sw.enabled ? 'On' : 'Off'}
                          </span>
                        </label>
                      </td>
                    );
                  })}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Page>
  );
}
