import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Config } from '../config.js';
import type { Db } from '../db/database.js';
import { AppError } from '../http/errors.js';
import { currentUser, requireAuth } from '../http/auth-guard.js';
import { errors } from '../http/schemas.js';
import { presentUser } from '../users/presenter.js';
import { PASSWORD_MAX, PASSWORD_MIN, USERNAME_PATTERN } from '../users/rules.js';
import type { AuthService } from './service.js';
import type { TokenService } from './tokens.js';

export interface AuthRoutesDeps {
  config: Config;
  db: Db;
  tokens: TokenService;
  auth: AuthService;
}

const RegisterBody = Type.Object(
  {
    username: Type.String({ pattern: USERNAME_PATTERN, description: '3–150 letters, digits and _ . + -' }),
    email: Type.String({ format: 'email', maxLength: 254 }),
    password: Type.String({ minLength: PASSWORD_MIN, maxLength: PASSWORD_MAX }),
    first_name: Type.String({ minLength: 1, maxLength: 64, pattern: '\\S' }),
    last_name: Type.Optional(Type.String({ maxLength: 64 })),
  },
  { additionalProperties: false },
);

const LoginBody = Type.Object(
  {
    username: Type.String({ minLength: 1, maxLength: 254, description: 'Username or email' }),
    password: Type.String({ minLength: 1, maxLength: 128 }),
  },
  { additionalProperties: false },
);

const TokenPair = Type.Object({ access: Type.String(), refresh: Type.String(), user: Type.Ref('User') });

export const authRoutes: FastifyPluginAsyncTypebox<AuthRoutesDeps> = async (app, { config, db, tokens, auth }) => {
  app.post(
    '/register/',
    {
      schema: {
        tags: ['auth'],
        summary: 'Create a student account',
        body: RegisterBody,
        response: { 201: Type.Ref('User'), ...errors(400, 409) },
      },
    },
    async (request, reply) => {
      const user = await auth.createAccount({ ...request.body, role: 'student' });
      return reply.status(201).send(presentUser(user));
    },
  );

  app.post(
    '/token/',
    {
      schema: {
        tags: ['auth'],
        summary: 'Sign in: exchange username (or email) and password for an access and a refresh token',
        body: LoginBody,
        response: { 200: TokenPair, ...errors(400, 401, 429) },
      },
      config: {
        // Per client *and* username, checked after the body is parsed, so that guessing one
        // account's password is slowed without locking everyone behind one NAT out.
        rateLimit: {
          max: config.loginRateLimitPerMinute,
          timeWindow: 60_000,
          hook: 'preHandler',
          keyGenerator: (request) => {
            const body = request.body as { username?: unknown } | undefined;
            const name = typeof body?.username === 'string' ? body.username.trim().toLowerCase() : '';
            return `login|${request.ip}|${name}`;
          },
          errorResponseBuilder: (_request, context) =>
            new AppError('rate_limited', `Too many sign-in attempts; try again in ${context.after}`, undefined, {
              'retry-after': String(Math.ceil(context.ttl / 1000)),
            }),
        },
      },
    },
    async (request) => {
      const { access, refresh, user } = await auth.login(request.body.username, request.body.password);
      return { access, refresh, user: presentUser(user) };
    },
  );

  app.post(
    '/token/refresh/',
    {
      schema: {
        tags: ['auth'],
        summary: 'Exchange a refresh token for a new access token',
        body: Type.Object({ refresh: Type.String({ minLength: 1 }) }, { additionalProperties: false }),
        response: { 200: Type.Object({ access: Type.String() }), ...errors(400, 401) },
      },
    },
    async (request) => auth.refresh(request.body.refresh),
  );

  app.get(
    '/me/',
    {
      onRequest: requireAuth({ db, tokens }),
      schema: {
        tags: ['auth'],
        summary: 'The signed-in user',
        security: [{ bearerAuth: [] }],
        response: { 200: Type.Ref('User'), ...errors(401) },
      },
    },
    async (request) => presentUser(await auth.me(currentUser(request).id)),
  );
};
