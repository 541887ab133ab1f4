import type { ErrorBody, ErrorDetail } from './types';

/** The API's error, as the server described it: `message` is meant for people and is what we show. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: ErrorDetail[] = [],
    readonly requestId?: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  /** Field messages keyed by the form field name: `body.email` → `email`, `file` → `file`. */
  fieldErrors(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const detail of this.details) {
      const name = detail.field.replace(/^(body|querystring|params|query)\./, '');
      out[name] ??= detail.message;
    }
    return out;
  }
}

export interface Tokens {
  access: string;
  refresh: string;
}

/** Where the session's tokens live. */
export interface TokenStore {
  get(): Tokens | null;
  set(tokens: Tokens | null): void;
}

export const SESSION_KEY = 'educonnect.session';

/**
 * Tokens in localStorage, so a session survives a reload and is shared by the tabs of this browser
 * (they read it on every request, so a refresh done by one tab serves them all). The trade-off: any
 * script running on this origin could read them, which the page's strict CSP (own scripts only) limits.
 */
export function localTokenStore(storage: Storage = window.localStorage, key = SESSION_KEY): TokenStore {
  return {
    get() {
      try {
        const parsed = JSON.parse(storage.getItem(key) ?? 'null') as Partial<Tokens> | null;
        return parsed && typeof parsed.access === 'string' && typeof parsed.refresh === 'string' ? { access: parsed.access, refresh: parsed.refresh } : null;
      } catch {
        return null;
      }
    },
    set(tokens) {
      if (tokens) storage.setItem(key, JSON.stringify(tokens));
      else storage.removeItem(key);
    },
  };
}

export function memoryTokenStore(initial: Tokens | null = null): TokenStore {
  let tokens = initial;
  return { get: () => tokens, set: (next) => void (tokens = next) };
}

export interface RequestOptions {
  /** JSON body. */
  json?: unknown;
  /** multipart/form-data body (the browser sets the boundary). */
  form?: FormData;
  query?: Record<string, string | number | boolean | undefined | null>;
  /** Send the access token (default true). */
  auth?: boolean;
  signal?: AbortSignal;
}

export interface ApiClientOptions {
  store: TokenStore;
  baseUrl?: string;
  fetch?: typeof fetch;
}

export type SignOutReason = 'signed_out' | 'expired';

const SESSION_ENDED = 'Your session has ended. Please sign in again.';

/**
 * fetch with the session: sends `Authorization: Bearer <access>`; on a 401 `token_invalid` it
 * refreshes the access token once (one refresh however many requests failed together) and retries
 * the request once; when the refresh is refused, the session is over and listeners are told.
 */
export class ApiClient {
  private readonly store: TokenStore;
  private readonly baseUrl: string;
  private readonly fetchImpl: typeof fetch;
  private refreshing: Promise<boolean> | null = null;
  private readonly listeners = new Set<(reason: SignOutReason) => void>();

  constructor(options: ApiClientOptions) {
    this.store = options.store;
    this.baseUrl = options.baseUrl ?? '';
    // Called unbound, window.fetch throws "Illegal invocation".
    const f = options.fetch ?? globalThis.fetch;
    this.fetchImpl = (input, init) => f(input, init);
  }

  get hasSession(): boolean {
    return this.store.get() !== null;
  }

  setSession(tokens: Tokens): void {
    this.store.set(tokens);
  }

  /** Forget the tokens and tell whoever listens (the app shows the sign-in page). */
  signOut(reason: SignOutReason = 'signed_out'): void {
    const had = this.store.get() !== null;
    this.store.set(null);
    if (had || reason === 'expired') for (const listener of this.listeners) listener(reason);
  }

  onSignOut(listener: (reason: SignOutReason) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get<T>(path: string, options: Omit<RequestOptions, 'json' | 'form'> = {}): Promise<T> {
    return this.request<T>('GET', path, options);
  }

  post<T>(path: string, options: RequestOptions = {}): Promise<T> {
    return this.request<T>('POST', path, options);
  }

  put<T>(path: string, options: RequestOptions = {}): Promise<T> {
    return this.request<T>('PUT', path, options);
  }

  patch<T>(path: string, options: RequestOptions = {}): Promise<T> {
    return this.request<T>('PATCH', path, options);
  }

  async request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
    const response = await this.send(method, path, options);
    if (response.status === 204) return undefined as T;
    const text = await response.text();
    if (!text) return undefined as T;
    try {
      return JSON.parse(text) as T;
    } catch {
      throw new ApiError(response.status, 'bad_response', 'The server sent an answer this page cannot read.');
    }
  }

  /** A file behind the session (a receipt), for showing in the page. */
  async blob(path: string, options: Pick<RequestOptions, 'signal'> = {}): Promise<Blob> {
    const response = await this.send('GET', path, options);
    return response.blob();
  }

  /** The response of a successful request, after at most one quiet refresh; errors become ApiError. */
  private async send(method: string, path: string, options: RequestOptions): Promise<Response> {
    const auth = options.auth ?? true;
    const tokens = auth ? this.store.get() : null;
    let response = await this.fetchOnce(method, path, options, tokens?.access);
    if (response.status === 401 && auth && tokens) {
      const error = await toApiError(response);
      if (error.code !== 'token_invalid') {
        if (error.code === 'not_authenticated') this.signOut('expired');
        throw error;
      }
      // Another request may have refreshed while this one was in flight: use its token.
      const current = this.store.get();
      const renewed = current && current.access !== tokens.access ? true : await this.refresh();
      const access = this.store.get()?.access;
      if (!renewed || !access) {
        this.signOut('expired');
        throw new ApiError(401, 'session_expired', SESSION_ENDED);
      }
      response = await this.fetchOnce(method, path, options, access);
      if (response.status === 401) {
        this.signOut('expired');
        throw new ApiError(401, 'session_expired', SESSION_ENDED);
      }
    }
    if (!response.ok) throw await toApiError(response);
    return response;
  }

  /** One refresh at a time: every caller waiting on a 401 shares it. Network failures throw (the session is not ended by them). */
  refresh(): Promise<boolean> {
    this.refreshing ??= (async () => {
      try {
        const refresh = this.store.get()?.refresh;
        if (!refresh) return false;
        const response = await this.fetchOnce('POST', '/auth/token/refresh/', { json: { refresh } }, undefined);
        if (!response.ok) {
          if (response.status >= 500) throw await toApiError(response);
          return false;
        }
        const { access } = (await response.json()) as { access: string };
        // The refresh token stays; only the access token is renewed.
        if (this.store.get()?.refresh === refresh) this.store.set({ access, refresh });
        return true;
      } finally {
        this.refreshing = null;
      }
    })();
    return this.refreshing;
  }

  private async fetchOnce(method: string, path: string, options: RequestOptions, access: string | undefined): Promise<Response> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (access) headers.authorization = `Bearer ${access}`;
    let body: BodyInit | undefined;
    if (options.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(options.json);
    } else if (options.form) {
      body = options.form;
    }
    try {
      return await this.fetchImpl(this.url(path, options.query), { method, headers, body, signal: options.signal });
    } catch (error) {
      if (error instanceof DOMException && error.name === 'AbortError') throw error;
      throw new ApiError(0, 'network_error', 'Could not reach EduConnect. Check your connection and try again.');
    }
  }

  private url(path: string, query: RequestOptions['query']): string {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(query ?? {})) {
      if (value !== undefined && value !== null && value !== '') params.set(key, String(value));
    }
    const qs = params.toString();
    return `${this.baseUrl}${path}${qs ? `${path.includes('?') ? '&' : '?'}${qs}` : ''}`;
  }
}

async function toApiError(response: Response): Promise<ApiError> {
  let body: Partial<ErrorBody> | null = null;
  try {
    body = (await response.json()) as Partial<ErrorBody>;
  } catch {
    body = null;
  }
  if (body && typeof body.code === 'string' && typeof body.message === 'string') {
    return new ApiError(response.status, body.code, body.message, Array.isArray(body.details) ? body.details : [], body.request_id);
  }
  const message =
    response.status === 413
      ? 'The file is too large for the server.'
      : response.status >= 500
        ? 'EduConnect is having trouble right now. Please try again in a moment.'
        : `The request failed (HTTP ${response.status}).`;
  return new ApiError(response.status, `http_${response.status}`, message);
}

/** A person-readable message for anything a request can throw. */
export function errorMessage(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  if (error instanceof Error && error.message) return error.message;
  return 'Something went wrong.';
}
