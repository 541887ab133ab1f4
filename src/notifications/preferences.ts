import type { Db, Queryable } from '../db/database.js';
import { validationFailed } from '../http/errors.js';
import { CHANNELS, isEssential, NOTIFICATION_TYPE_NAMES, NOTIFICATION_TYPES, type Channel, type NotificationType } from './types.js';

export interface PreferenceView {
  type: NotificationType;
  title: string;
  description: string;
  essential: boolean;
  channels: Record<Channel, { enabled: boolean; locked: boolean }>;
}

/** Essential types are always shown in the app; everything is on until the user turns it off. */
const locked = (type: string, channel: Channel) => channel === 'in_app' && isEssential(type);

/** Which channels are on for one user and type, read inside the notifying transaction. */
export async function channelsFor(db: Queryable, userId: number, type: string): Promise<Record<Channel, boolean>> {
  const rows = await db.selectFrom('notification_preferences').select(['channel', 'enabled']).where('user_id', '=', userId).where('type', '=', type).execute();
  const stored = new Map(rows.map((r) => [r.channel, r.enabled]));
  return {
    in_app: locked(type, 'in_app') || (stored.get('in_app') ?? true),
    email: stored.get('email') ?? true,
  };
}

export function createPreferencesService({ db }: { db: Db }) {
  async function get(userId: number): Promise<PreferenceView[]> {
    const rows = await db.selectFrom('notification_preferences').select(['type', 'channel', 'enabled']).where('user_id', '=', userId).execute();
    const stored = new Map(rows.map((r) => [`${r.type}:${r.channel}`, r.enabled]));
    return NOTIFICATION_TYPE_NAMES.map((type) => ({
      type,
      title: NOTIFICATION_TYPES[type].title,
      description: NOTIFICATION_TYPES[type].description,
      essential: NOTIFICATION_TYPES[type].essential,
      channels: Object.fromEntries(
        CHANNELS.map((channel) => [channel, { enabled: locked(type, channel) || (stored.get(`${type}:${channel}`) ?? true), locked: locked(type, channel) }]),
      ) as PreferenceView['channels'],
    }));
  }

  /** Sets the given switches; turning off a locked one is refused, naming it. */
  async function update(userId: number, changes: Array<{ type: string; channel: Channel; enabled: boolean }>): Promise<PreferenceView[]> {
    const problems = changes.flatMap((c, i) => {
      if (!(NOTIFICATION_TYPE_NAMES as string[]).includes(c.type)) return [{ field: `body.preferences.${i}.type`, message: `unknown notification type "${c.type}"` }];
      if (!c.enabled && locked(c.type, c.channel)) return [{ field: `body.preferences.${i}`, message: `"${c.type}" is essential and cannot be turned off in the app` }];
      return [];
    });
    if (problems.length) throw validationFailed(problems);
    if (changes.length) {
      await db
        .insertInto('notification_preferences')
        .values(changes.map((c) => ({ user_id: userId, type: c.type, channel: c.channel, enabled: c.enabled })))
        .onConflict((oc) => oc.columns(['user_id', 'type', 'channel']).doUpdateSet((eb) => ({ enabled: eb.ref('excluded.enabled'), updated_at: new Date() })))
        .execute();
    }
    return get(userId);
  }

  return { get, update };
}

export type PreferencesService = ReturnType<typeof createPreferencesService>;
