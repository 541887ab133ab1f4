import { vi } from 'vitest';

/** One "add registrant" POST as it left a Zoom client, and how Zoom answered it. */
export interface AddPost {
  webinarId: string;
  /** The registrant's email, lower-cased, from the request body. */
  email: string;
  /** HTTP status of the answer; 0 when none came (connection reset, timeout). */
  status: number;
  /** A per-second (QPS) 429: refused at Zoom's gate before the request was looked at. */
  perSecond429: boolean;
}

const ADD_PATH = /\/v2\/webinars\/(\d+)\/registrants$/;

/** The webinar id when `method url` is Zoom's add-registrant call. */
export function addTarget(method: string | undefined, url: string): string | undefined {
  if ((method ?? 'GET').toUpperCase() !== 'POST') return undefined;
  return ADD_PATH.exec(new URL(url, 'http://x').pathname)?.[1];
}

export function emailOf(body: unknown): string {
  const parsed = JSON.parse(typeof body === 'string' ? body : Buffer.isBuffer(body) ? body.toString('utf8') : '{}') as { email?: unknown };
  return typeof parsed.email === 'string' ? parsed.email.toLowerCase() : '';
}

/**
 * Records every add-registrant POST a Zoom client in this process sends (the client calls the
 * global fetch), with the email from its body: the simulator's request log does not keep bodies.
 */
export function recordAddPosts(): { posts: AddPost[]; restore: () => void } {
  const posts: AddPost[] = [];
  const original = globalThis.fetch;
  const spy = vi.spyOn(globalThis, 'fetch').mockImplementation(async (input, init) => {
    const url = input instanceof Request ? input.url : String(input);
    const webinarId = addTarget(init?.method ?? (input instanceof Request ? input.method : undefined), url);
    if (!webinarId) return original(input, init);
    const post: AddPost = { webinarId, email: emailOf(init?.body), status: 0, perSecond429: false };
    posts.push(post);
    const res = await original(input, init);
    post.status = res.status;
    post.perSecond429 = res.status === 429 && res.headers.get('x-ratelimit-type') === 'QPS';
    return res;
  });
  return { posts, restore: () => spy.mockRestore() };
}

/**
 * Add POSTs per email that count toward Zoom's 3-per-registrant daily budget: every one that got
 * past Zoom's per-second gate (answered, failed, reset or timed out). A per-second 429 is refused
 * before Zoom looks at the request, so it does not count (the simulator models it that way).
 */
export function countedAddsByEmail(posts: AddPost[], webinarId: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const p of posts) if (p.webinarId === webinarId && !p.perSecond429) counts.set(p.email, (counts.get(p.email) ?? 0) + 1);
  return counts;
}
