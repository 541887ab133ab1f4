import { Type } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { backoffMs, ZoomApiError } from './errors.js';

export interface OAuthOptions {
  tokenUrl: string;
  accountId: string;
  clientId: string;
  clientSecret: string;
  timeoutMs: number;
  now?: () => number;
}

const TokenResponse = Type.Object({ access_token: Type.String({ minLength: 1 }), expires_in: Type.Number({ minimum: 1 }) });

/** Refresh this long before expiry so a token never dies mid-request (Zoom's SDK uses 60 s, FACTS §4). */
const EXPIRY_MARGIN_MS = 60_000;

export interface TokenProvider {
  /** A valid access token, fetched at most once at a time however many callers ask together. */
  get(): Promise<string>;
  /** Forget `token` after Zoom answered 401 code 124 for it; the next get() fetches a new one. */
  invalidate(token: string): void;
  /** How many token requests were made (for tests and metrics). */
  fetches(): number;
}

/**
 * Server-to-Server OAuth (FACTS §4): POST grant_type=account_credentials with HTTP Basic auth;
 * tokens last an hour and there is no refresh token — a new one is simply fetched.
 */
export function createTokenProvider(options: OAuthOptions): TokenProvider {
  const now = options.now ?? Date.now;
  let cached: { token: string; expiresAt: number } | undefined;
  let inFlight: Promise<string> | undefined;
  let fetchCount = 0;

  async function fetchToken(): Promise<string> {
    fetchCount++;
    const basic = Buffer.from(`${options.clientId}:${options.clientSecret}`).toString('base64');
    let res: Response;
    try {
      res = await fetch(options.tokenUrl, {
        method: 'POST',
        headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ grant_type: 'account_credentials', account_id: options.accountId }),
        signal: AbortSignal.timeout(options.timeoutMs),
      });
    } catch (error) {
      throw new ZoomApiError('oauth token', 0, undefined, (error as Error).message, { kind: 'soon', afterMs: backoffMs(0) }, false);
    }
    const body = (await res.json().catch(() => ({}))) as Record<string, unknown>;
    if (!res.ok || !Value.Check(TokenResponse, body)) {
      // Wrong credentials are not fixed by waiting; a Zoom outage is.
      const reason = String(body.reason ?? body.error ?? `HTTP ${res.status}`);
      const retry = res.status >= 500 ? ({ kind: 'soon', afterMs: backoffMs(0) } as const) : ({ kind: 'never' } as const);
      throw new ZoomApiError('oauth token', res.status, undefined, reason, retry, false);
    }
    cached = { token: body.access_token, expiresAt: now() + body.expires_in * 1000 };
    return body.access_token;
  }

  return {
    get() {
      if (cached && cached.expiresAt - EXPIRY_MARGIN_MS > now()) return Promise.resolve(cached.token);
      inFlight ??= fetchToken().finally(() => {
        inFlight = undefined;
      });
      return inFlight;
    },
    invalidate(token) {
      if (cached?.token === token) cached = undefined;
    },
    fetches: () => fetchCount,
  };
}
