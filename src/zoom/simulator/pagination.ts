import { randomBytes } from 'node:crypto';
import { MAX_PAGE_SIZE } from '../types.js';
import { invalidPageToken } from './errors.js';

/** A next_page_token is valid for 15 minutes (FACTS §2.3, §7 #16). */
const TOKEN_TTL_MS = 15 * 60 * 1000;
/** page_size default (FACTS §2.3, §2.7). */
const DEFAULT_PAGE_SIZE = 30;

export interface Page<T> {
  items: T[];
  next_page_token: string;
  page_count: number;
  page_size: number;
  total_records: number;
}

/**
 * Opaque page tokens bound to one query (the caller passes a `scope` string describing it): Zoom
 * says to repeat the identical query with the token (FACTS §2.3); a token used with another
 * query, or after 15 minutes by the simulator clock, is refused. The last page has token "".
 */
export class PageTokens {
  private readonly tokens = new Map<string, { scope: string; offset: number; expires: number }>();

  constructor(private readonly now: () => Date) {}

  page<T>(all: readonly T[], scope: string, pageSize: number | undefined, token: string | undefined): Page<T> {
    // Zoom documents a maximum of 300; larger requests are capped rather than refused.
    const size = Math.min(pageSize ?? DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE);
    const offset = token ? this.resolve(token, scope) : 0;
    const items = all.slice(offset, offset + size);
    const next = offset + size < all.length ? this.issue(scope, offset + size) : '';
    return { items, next_page_token: next, page_count: Math.ceil(all.length / size), page_size: size, total_records: all.length };
  }

  reset(): void {
    this.tokens.clear();
  }

  private issue(scope: string, offset: number): string {
    const now = this.now().getTime();
    for (const [key, value] of this.tokens) if (value.expires <= now) this.tokens.delete(key);
    const token = randomBytes(24).toString('base64url');
    this.tokens.set(token, { scope, offset, expires: now + TOKEN_TTL_MS });
    return token;
  }

  private resolve(token: string, scope: string): number {
    const entry = this.tokens.get(token);
    if (!entry || entry.scope !== scope || entry.expires <= this.now().getTime()) throw invalidPageToken();
    return entry.offset;
  }
}
