import { describe, expect, it, vi } from 'vitest';
import { ApiClient, ApiError, memoryTokenStore, type Tokens } from '../../web/src/api/client';

type Handler = (url: string, init: RequestInit) => Response | Promise<Response>;

const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
const tokenInvalid = () => json(401, { code: 'token_invalid', message: 'The token has expired', request_id: 'r1' });

/** A fake server: access tokens named in `valid` are accepted; the refresh endpoint hands out `access-N`. */
function fakeServer(options: { refreshOk?: boolean; refreshDelayMs?: number } = {}) {
  const valid = new Set<string>();
  const calls: string[] = [];
  let issued = 0;
  const handler: Handler = async (url, init) => {
    const headers = new Headers(init.headers);
    const auth = headers.get('authorization')?.replace('Bearer ', '');
    calls.push(`${init.method} ${url}${auth ? ` [${auth}]` : ''}`);
    if (url === '/auth/token/refresh/') {
      if (options.refreshDelayMs) await new Promise((r) => setTimeout(r, options.refreshDelayMs));
      if (options.refreshOk === false) return json(401, { code: 'token_invalid', message: 'Refresh token expired', request_id: 'r2' });
      const access = `access-${++issued}`;
      valid.add(access);
      return json(200, { access });
    }
    if (!auth) return json(401, { code: 'not_authenticated', message: 'Sign in first', request_id: 'r3' });
    if (!valid.has(auth)) return tokenInvalid();
    return json(200, { ok: true, url });
  };
  return { valid, calls, fetch: vi.fn((input: RequestInfo | URL, init?: RequestInit) => Promise.resolve(handler(String(input), init ?? {}))) };
}

function client(server: ReturnType<typeof fakeServer>, tokens: Tokens | null = { access: 'stale', refresh: 'r' }) {
  const store = memoryTokenStore(tokens);
  const api = new ApiClient({ store, fetch: server.fetch as unknown as typeof fetch });
  const signOuts: string[] = [];
  api.onSignOut((reason) => signOuts.push(reason));
  return { api, store, signOuts };
}

describe('ApiClient: quiet refresh', () => {
  it('sends the access token and returns the JSON answer', async () => {
    const server = fakeServer();
    server.valid.add('good');
    const { api } = client(server, { access: 'good', refresh: 'r' });
    expect(await api.get('/students/classes/', { query: { page: 2, empty: '' } })).toEqual({ ok: true, url: '/students/classes/?page=2' });
    expect(server.calls).toEqual(['GET /students/classes/?page=2 [good]']);
  });

  it('refreshes once on token_invalid and retries the request once with the new token', async () => {
    const server = fakeServer();
    const { api, store, signOuts } = client(server);
    expect(await api.get('/students/enrollments/')).toMatchObject({ ok: true });
    expect(server.calls).toEqual(['GET /students/enrollments/ [stale]', 'POST /auth/token/refresh/', 'GET /students/enrollments/ [access-1]']);
    expect(store.get()).toEqual({ access: 'access-1', refresh: 'r' });
    expect(signOuts).toEqual([]);
  });

  it('shares one refresh among requests that fail together', async () => {
    const server = fakeServer({ refreshDelayMs: 20 });
    const { api } = client(server);
    const answers = await Promise.all([api.get('/a/'), api.get('/b/'), api.post('/c/', { json: { x: 1 } })]);
    expect(answers).toHaveLength(3);
    expect(server.calls.filter((c) => c.includes('refresh'))).toHaveLength(1);
    expect(server.calls.filter((c) => c.includes('[access-1]')).sort()).toEqual(['GET /a/ [access-1]', 'GET /b/ [access-1]', 'POST /c/ [access-1]']);
  });

  it('signs out, once, when the refresh is refused', async () => {
    const server = fakeServer({ refreshOk: false });
    const { api, store, signOuts } = client(server);
    const error = await api.get('/students/enrollments/').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 401, code: 'session_expired', message: 'Your session has ended. Please sign in again.' });
    expect(store.get()).toBeNull();
    expect(signOuts).toEqual(['expired']);
    expect(server.calls).toEqual(['GET /students/enrollments/ [stale]', 'POST /auth/token/refresh/']);
  });

  it('does not loop when the retried request is refused again', async () => {
    const server = fakeServer();
    const { api, signOuts } = client(server);
    server.fetch.mockImplementation((input: RequestInfo | URL) =>
      Promise.resolve(String(input) === '/auth/token/refresh/' ? json(200, { access: 'new-but-useless' }) : tokenInvalid()),
    );
    await expect(api.get('/x/')).rejects.toMatchObject({ code: 'session_expired' });
    expect(server.fetch).toHaveBeenCalledTimes(3);
    expect(signOuts).toEqual(['expired']);
  });

  it("shows the server's message and field details for other errors, without refreshing", async () => {
    const server = fakeServer();
    server.valid.add('good');
    const { api } = client(server, { access: 'good', refresh: 'r' });
    server.fetch.mockImplementationOnce(() =>
      Promise.resolve(json(400, { code: 'validation_failed', message: 'Invalid receipt form: amount is required', details: [{ field: 'amount', message: 'is required' }, { field: 'body.email', message: 'bad' }], request_id: 'abc' })),
    );
    const error = (await api.post('/students/receipt-payments/', { form: new FormData() }).catch((e: unknown) => e)) as ApiError;
    expect(error.message).toBe('Invalid receipt form: amount is required');
    expect(error.requestId).toBe('abc');
    expect(error.fieldErrors()).toEqual({ amount: 'is required', email: 'bad' });
  });

  it('sends no token where none is wanted, and turns a network failure into a readable error', async () => {
    const server = fakeServer();
    const { api } = client(server, null);
    server.fetch.mockImplementationOnce(() => Promise.reject(new TypeError('Failed to fetch')));
    await expect(api.post('/auth/token/', { json: { username: 'a', password: 'b' }, auth: false })).rejects.toMatchObject({ code: 'network_error', message: expect.stringContaining('Could not reach') });
  });
});
