import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZoomTokenResponse } from '../types.js';

/** What an S2S token may do here (the classic admin scopes of FACTS §2.9). */
const SCOPE = 'webinar:read:admin webinar:write:admin';

export interface OAuthConfig {
  accountId: string;
  clientId: string;
  clientSecret: string;
  ttlSeconds: number;
  now: () => Date;
}

/**
 * Server-to-Server OAuth (FACTS §4): no refresh tokens, several valid tokens may coexist, each
 * expiring `ttlSeconds` after issue by the simulator clock.
 */
export class TokenStore {
  private readonly tokens = new Map<string, number>();
  private issued = 0;

  constructor(private readonly config: OAuthConfig) {}

  issue(): ZoomTokenResponse {
    const now = this.config.now().getTime();
    for (const [token, expires] of this.tokens) if (expires <= now) this.tokens.delete(token);
    const token = randomBytes(32).toString('base64url');
    this.tokens.set(token, now + this.config.ttlSeconds * 1000);
    this.issued++;
    return { access_token: token, token_type: 'bearer', expires_in: this.config.ttlSeconds, scope: SCOPE };
  }

  /** True for a token this simulator issued that has not expired by its clock. */
  valid(authorization: string | undefined): boolean {
    const match = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
    const expires = match?.[1] === undefined ? undefined : this.tokens.get(match[1]);
    return expires !== undefined && expires > this.config.now().getTime();
  }

  /** Successful token requests since start or reset. */
  count(): number {
    return this.issued;
  }

  /** Restart the count; tokens already issued stay valid. */
  resetCount(): void {
    this.issued = 0;
  }
}

const sameSecret = (a: string, b: string) => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

/** client_id:client_secret from `Authorization: Basic …`, or undefined. */
function basicCredentials(request: FastifyRequest): { id: string; secret: string } | undefined {
  const match = /^Basic\s+(\S+)$/i.exec(request.headers.authorization ?? '');
  if (!match?.[1]) return undefined;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon < 0 ? undefined : { id: decoded.slice(0, colon), secret: decoded.slice(colon + 1) };
}

/** A form field from the body (Rivet's way) or the query string (Zoom's curl examples), FACTS §4. */
function param(request: FastifyRequest, name: string): string | undefined {
  for (const source of [request.body, request.query]) {
    if (source && typeof source === 'object') {
      const value: unknown = (source as Record<string, unknown>)[name];
      if (typeof value === 'string') return value;
    }
  }
  return undefined;
}

/**
 * POST /oauth/token. Errors are OAuth-style `{reason, error}`, checked in Zoom's order: client
 * credentials (401 invalid_client), grant type (400 unsupported_grant_type), account (400).
 * `api_url` is the origin the client reached the simulator on; the API lives at `${api_url}/v2`, as
 * with Zoom's `https://api.zoom.us`.
 */
export function registerOAuthRoutes(app: FastifyInstance, store: TokenStore, config: OAuthConfig): void {
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_request, body, done) => {
    done(null, Object.fromEntries(new URLSearchParams(String(body))));
  });

  app.post('/oauth/token', async (request, reply) => {
    const client = basicCredentials(request);
    if (!client || !sameSecret(client.id, config.clientId) || !sameSecret(client.secret, config.clientSecret)) {
      return reply.code(401).send({ reason: 'Invalid client_id or client_secret', error: 'invalid_client' });
    }
    if (param(request, 'grant_type') !== 'account_credentials') {
      return reply.code(400).send({ reason: 'unsupported grant type', error: 'unsupported_grant_type' });
    }
    if (param(request, 'account_id') !== config.accountId) {
      return reply.code(400).send({ reason: 'Invalid account_id', error: 'invalid_request' });
    }
    return reply.code(200).send({ ...store.issue(), api_url: `${request.protocol}://${request.host}` });
  });
}
