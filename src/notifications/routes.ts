import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox, TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type {} from '@fastify/sse';
import type { Db } from '../db/database.js';
import type { TokenService } from '../auth/tokens.js';
import { currentUser, requireAuth } from '../http/auth-guard.js';
import { errors } from '../http/schemas.js';
import type { InboxService } from './inbox.js';
import type { PreferencesService } from './preferences.js';
import type { InboxHub } from './realtime.js';
import type { StreamTickets } from './tickets.js';
import { CHANNELS } from './types.js';

export interface NotificationRoutesDeps {
  db: Db;
  tokens: TokenService;
  inbox: InboxService;
  preferences: PreferencesService;
  tickets: StreamTickets;
  hub: InboxHub;
}

const tags = ['notifications'];
const NotificationId = Type.Object({ id: Type.Integer({ minimum: 1 }) });
const ReadResult = Type.Object({ notification: Type.Ref('Notification'), unread_count: Type.Integer() });
const Preference = Type.Object({
  type: Type.String(),
  title: Type.String(),
  description: Type.String(),
  essential: Type.Boolean(),
  channels: Type.Object({
    in_app: Type.Object({ enabled: Type.Boolean(), locked: Type.Boolean() }),
    email: Type.Object({ enabled: Type.Boolean(), locked: Type.Boolean() }),
  }),
});

/** The inbox of the signed-in user, whatever their role (the seed's path is under /students/). */
export const notificationRoutes: FastifyPluginAsyncTypebox<NotificationRoutesDeps> = async (app, deps) => {
  const { inbox, preferences, tickets, hub } = deps;

  // The live stream authenticates itself: a Bearer header, or a single-use ticket for EventSource.
  app.get(
    '/notifications/stream/',
    {
      sse: 'only',
      schema: {
        tags,
        summary: 'Live inbox (Server-Sent Events): `notification` and `unread_count` events; resumes after Last-Event-ID',
        querystring: Type.Object({ ticket: Type.Optional(Type.String({ maxLength: 200 })) }),
        response: errors(401),
      },
    },
    async (request, reply) => {
      let userId: number;
      if (request.query.ticket) {
        userId = await tickets.redeem(request.query.ticket);
      } else {
        await requireAuth(deps).call(app, request, reply);
        userId = currentUser(request).id;
      }
      reply.sse.keepAlive();
      const resumeFrom = Number(reply.sse.lastEventId);
      const sink = {
        userId,
        lastSentId: Number.isSafeInteger(resumeFrom) && resumeFrom >= 0 ? resumeFrom : await inbox.latestId(userId),
        lastUnreadCount: undefined,
        send: (event: { id?: string; event: string; data: unknown }) => reply.sse.send(event),
      };
      reply.sse.onClose(await hub.subscribe(sink));
    },
  );

  await app.register(async (scope) => {
    scope.addHook('onRequest', requireAuth(deps));
    const authed = scope.withTypeProvider<TypeBoxTypeProvider>();

    authed.get(
      '/notifications/',
      {
        schema: {
          tags,
          summary: 'My notifications, newest first, with the unread count and a cursor for the next page',
          querystring: Type.Object({
            cursor: Type.Optional(Type.String({ maxLength: 100 })),
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
            unread: Type.Optional(Type.Boolean()),
          }),
          response: {
            200: Type.Object({ notifications: Type.Array(Type.Ref('Notification')), unread_count: Type.Integer(), next_cursor: Type.Union([Type.String(), Type.Null()]) }),
            ...errors(400, 401),
          },
        },
      },
      async (request) => inbox.list(currentUser(request).id, { cursor: request.query.cursor, limit: request.query.limit ?? 20, unread: request.query.unread }),
    );

    authed.get(
      '/notifications/unread-count/',
      { schema: { tags, summary: 'How many of my notifications are unread', response: { 200: Type.Object({ unread_count: Type.Integer() }), ...errors(401) } } },
      async (request) => ({ unread_count: await inbox.unreadCount(currentUser(request).id) }),
    );

    authed.post(
      '/notifications/:id/read/',
      { schema: { tags, summary: 'Mark one notification read', params: NotificationId, response: { 200: ReadResult, ...errors(401, 404) } } },
      async (request) => inbox.read(currentUser(request).id, request.params.id),
    );

    authed.post(
      '/notifications/:id/unread/',
      { schema: { tags, summary: 'Mark one notification unread', params: NotificationId, response: { 200: ReadResult, ...errors(401, 404) } } },
      async (request) => inbox.unread(currentUser(request).id, request.params.id),
    );

    authed.post(
      '/notifications/read-all/',
      { schema: { tags, summary: 'Mark all my notifications read', response: { 200: Type.Object({ marked_read: Type.Integer(), unread_count: Type.Integer() }), ...errors(401) } } },
      async (request) => inbox.readAll(currentUser(request).id),
    );

    authed.post(
      '/notifications/stream-ticket/',
      {
        schema: {
          tags,
          summary: 'A single-use ticket, valid 60 s, for opening the live stream with EventSource (?ticket=)',
          response: { 200: Type.Object({ ticket: Type.String(), expires_at: Type.String() }), ...errors(401) },
        },
      },
      async (request) => tickets.issue(currentUser(request).id),
    );

    authed.get(
      '/notification-preferences/',
      { schema: { tags, summary: 'My notification switches, per type and channel', response: { 200: Type.Object({ preferences: Type.Array(Preference) }), ...errors(401) } } },
      async (request) => ({ preferences: await preferences.get(currentUser(request).id) }),
    );

    authed.put(
      '/notification-preferences/',
      {
        schema: {
          tags,
          summary: 'Turn channels on or off per type; essential types stay on in the app',
          body: Type.Object({
            preferences: Type.Array(
              Type.Object({ type: Type.String({ maxLength: 64 }), channel: Type.Union(CHANNELS.map((c) => Type.Literal(c))), enabled: Type.Boolean() }),
              { maxItems: 100 },
            ),
          }),
          response: { 200: Type.Object({ preferences: Type.Array(Preference) }), ...errors(400, 401) },
        },
      },
      async (request) => ({ preferences: await preferences.update(currentUser(request).id, request.body.preferences) }),
    );
  });
};
