import { randomBytes, randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyBaseLogger } from 'fastify';
import type { ZoomWebhookEvent } from '../types.js';
import { signWebhook, urlValidationResponse } from '../webhook-signature.js';
import type { WebhookDelivery } from './types.js';

/**
 * Real Zoom retries a failed delivery (≥ 500 or a transport error; never 4xx) at +5, +20 and +60
 * minutes (FACTS §5.5). The simulator keeps the same rule but waits 100 ms and 500 ms, so tests and
 * demos see retries without waiting an hour.
 */
const RETRY_DELAYS_MS = [100, 500];
/** Zoom wants an answer within 3 s (FACTS §5.5); longer counts as a failed attempt. */
const DELIVERY_TIMEOUT_MS = 3000;

/** A long-running simulator keeps only the most recent deliveries. */
const MAX_LOG_ENTRIES = 10_000;

export interface WebhookTarget {
  url: string;
  secretToken: string;
}

/**
 * Posts signed events to the target, asynchronously: `emit` returns at once, so an API answer is
 * never delayed by a slow receiver. Deliveries run independently (Zoom does not promise order).
 */
export class WebhookEmitter {
  private target: WebhookTarget | undefined;
  private readonly log: WebhookDelivery[] = [];
  private readonly inFlight = new Set<Promise<void>>();
  private abort = new AbortController();

  constructor(
    private readonly now: () => Date,
    private readonly logger: FastifyBaseLogger,
  ) {}

  setTarget(target: WebhookTarget | undefined): void {
    this.target = target;
  }

  deliveries(): WebhookDelivery[] {
    return [...this.log];
  }

  emit(event: string, payload: ZoomWebhookEvent['payload']): void {
    const target = this.target;
    if (!target) return;
    const envelope: ZoomWebhookEvent = { event, event_ts: this.now().getTime(), payload };
    const job = this.deliver(target, envelope).finally(() => this.inFlight.delete(job));
    this.inFlight.add(job);
  }

  async settled(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  /** The CRC challenge (FACTS §5.4): the receiver must answer with the HMAC of plainToken. */
  async validate(): Promise<{ ok: boolean; status: number | 'error' }> {
    const target = this.target;
    if (!target) return { ok: false, status: 'error' };
    const plainToken = randomBytes(16).toString('base64url');
    const envelope: ZoomWebhookEvent = { event: 'endpoint.url_validation', event_ts: this.now().getTime(), payload: { plainToken } };
    try {
      const res = await this.post(target, envelope);
      const body: unknown = await res.json().catch(() => undefined);
      const expected = urlValidationResponse(target.secretToken, plainToken);
      const answer = body as { plainToken?: unknown; encryptedToken?: unknown } | undefined;
      const ok = (res.status === 200 || res.status === 204) && answer?.plainToken === expected.plainToken && answer.encryptedToken === expected.encryptedToken;
      return { ok, status: res.status };
    } catch {
      return { ok: false, status: 'error' };
    }
  }

  /** Forget the log; cancel deliveries and retries still pending. */
  reset(): void {
    this.abort.abort();
    this.abort = new AbortController();
    this.log.length = 0;
  }

  async close(): Promise<void> {
    this.abort.abort();
    await this.settled();
  }

  private async deliver(target: WebhookTarget, envelope: ZoomWebhookEvent): Promise<void> {
    const signal = this.abort.signal;
    for (let attempt = 1; ; attempt++) {
      let status: number | 'error';
      try {
        const res = await this.post(target, envelope, signal);
        await res.arrayBuffer();
        status = res.status;
      } catch (error) {
        if (signal.aborted) return;
        this.logger.debug({ err: error, event: envelope.event }, 'webhook delivery failed');
        status = 'error';
      }
      if (signal.aborted) return;
      this.log.push({ event: envelope.event, status, at: performance.now(), attempt });
      if (this.log.length > MAX_LOG_ENTRIES + 1000) this.log.splice(0, this.log.length - MAX_LOG_ENTRIES);
      const retryable = status === 'error' || status >= 500;
      const delay = RETRY_DELAYS_MS[attempt - 1];
      if (!retryable || delay === undefined) return;
      try {
        await sleep(delay, undefined, { signal });
      } catch {
        return; // aborted by reset/close
      }
    }
  }

  /** One signed POST with the headers of FACTS §5.3. */
  private post(target: WebhookTarget, envelope: ZoomWebhookEvent, signal?: AbortSignal): Promise<Response> {
    const body = JSON.stringify(envelope);
    const timestamp = String(Math.floor(this.now().getTime() / 1000));
    const timeout = AbortSignal.timeout(DELIVERY_TIMEOUT_MS);
    return fetch(target.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json; charset=utf-8',
        'user-agent': 'Zoom Marketplace/1.0a',
        'x-zm-request-id': randomUUID(),
        'x-zm-request-timestamp': timestamp,
        'x-zm-signature': signWebhook(target.secretToken, timestamp, body),
      },
      body,
      signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
    });
  }
}
