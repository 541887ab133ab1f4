import { Agent, createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { addTarget, emailOf, type AddPost } from './zoom-adds.js';

/**
 * A pass-through HTTP proxy in front of a Zoom simulator running as another process, recording
 * each add-registrant POST with the email from its body (the simulator's log keeps no bodies).
 * A reset upstream is a reset downstream; a client that gives up (timeout) aborts the upstream call.
 */
export async function startRecordingProxy(target: string): Promise<{ url: string; posts: AddPost[]; close: () => Promise<void> }> {
  const posts: AddPost[] = [];
  const upstream = new URL(target);
  const agent = new Agent({ keepAlive: true });
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const webinarId = addTarget(req.method, req.url ?? '/');
      const post: AddPost | undefined = webinarId ? { webinarId, email: emailOf(body), status: 0, perSecond429: false } : undefined;
      if (post) posts.push(post);
      const out = httpRequest(
        { agent, host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: { ...req.headers, host: upstream.host } },
        (answer) => {
          if (post) {
            post.status = answer.statusCode ?? 0;
            post.perSecond429 = answer.statusCode === 429 && answer.headers['x-ratelimit-type'] === 'QPS';
          }
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
          answer.on('error', () => res.destroy());
        },
      );
      out.on('error', () => res.destroy());
      res.on('close', () => {
        if (!res.writableFinished) out.destroy();
      });
      out.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    posts,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      agent.destroy();
    },
  };
}
