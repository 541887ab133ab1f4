import { createParser, type EventSourceMessage } from 'eventsource-parser';
import { waitFor } from './wait.js';

export interface SseStream {
  events: EventSourceMessage[];
  /** performance.now() when each event arrived (same order as `events`). */
  arrivals: number[];
  status: number;
  /** Waits until `count` events of `type` have arrived; returns them. */
  next(type: string, count?: number, timeoutMs?: number): Promise<EventSourceMessage[]>;
  close(): void;
}

/** Opens an SSE stream over real HTTP and collects its events, as a browser tab would. */
export async function openStream(url: string, headers: Record<string, string> = {}): Promise<SseStream> {
  const controller = new AbortController();
  const res = await fetch(url, { headers: { accept: 'text/event-stream', ...headers }, signal: controller.signal });
  const events: EventSourceMessage[] = [];
  const arrivals: number[] = [];
  const stream: SseStream = {
    events,
    arrivals,
    status: res.status,
    async next(type, count = 1, timeoutMs = 3000) {
      await waitFor(() => events.filter((e) => e.event === type).length >= count, { timeoutMs, what: `${count} "${type}" event(s)` });
      return events.filter((e) => e.event === type);
    },
    close: () => controller.abort(),
  };
  if (!res.ok || !res.body) return stream;
  const parser = createParser({
    onEvent: (event) => {
      events.push(event);
      arrivals.push(performance.now());
    },
  });
  const decoder = new TextDecoder();
  void (async () => {
    try {
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) parser.feed(decoder.decode(chunk, { stream: true }));
    } catch {
      // Aborted by close(): the tab went away.
    }
  })();
  return stream;
}
