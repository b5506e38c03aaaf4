/**
 * One event-stream (SSE) response, written by hand on the raw Node response: the head, frames,
 * heartbeat comments so proxies keep an idle stream open, and the end.
 *
 * States: open → ended. Invariants: nothing is written after the end; at most
 * `highWaterBytes` wait in the response's buffer, or the client is too slow and the stream ends
 * with a `closing` event (reason slow-consumer) it may or may not read; a stream that ends for
 * shutdown says so (reason shutdown) so the client reconnects elsewhere with Last-Event-ID.
 */
import type { ServerResponse } from 'node:http';
import type { StreamCloseReason } from '@docket/protocol';
import type { StreamLimits } from './stream-limits.ts';

/** Reconnect delay suggested to EventSource clients (the `retry` field). */
const RETRY_MS = 2000;
/** A client that is not reading will not read its end either: the socket is cut after this. */
const END_GRACE_MS = 1000;

const CLOSE_MESSAGES: Readonly<Partial<Record<StreamCloseReason, string>>> = {
  shutdown: 'the server is shutting down: reconnect with Last-Event-ID',
  'slow-consumer': 'the client fell too far behind reading: reconnect with Last-Event-ID',
  revoked: 'the access token was revoked or expired',
};

export class SseConnection {
  readonly #raw: ServerResponse;
  readonly #limits: StreamLimits;
  readonly #heartbeat: ReturnType<typeof setInterval>;
  readonly #onEnd: (reason: StreamCloseReason | null) => void;
  #ended = false;

  constructor(raw: ServerResponse, limits: StreamLimits, onEnd: (reason: StreamCloseReason | null) => void) {
    this.#raw = raw;
    this.#limits = limits;
    this.#onEnd = onEnd;
    raw.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    raw.write(`retry: ${RETRY_MS}\n\n`);
    this.#heartbeat = setInterval(() => this.write(': ping\n\n'), limits.heartbeatMs);
    raw.once('close', () => this.#finish(null));
    if (raw.destroyed) this.#finish(null);
  }

  get ended(): boolean {
    return this.#ended;
  }

  write(text: string): void {
    if (this.#ended) return;
    this.#raw.write(text);
    if (this.#raw.writableLength > this.#limits.highWaterBytes) this.end('slow-consumer');
  }

  end(reason: StreamCloseReason): void {
    if (this.#ended) return;
    const message = CLOSE_MESSAGES[reason] ?? reason;
    this.#raw.end(`event: closing\ndata: ${JSON.stringify({ reason, message })}\n\n`);
    setTimeout(() => this.#raw.destroy(), END_GRACE_MS).unref();
    this.#finish(reason);
  }

  #finish(reason: StreamCloseReason | null): void {
    if (this.#ended) return;
    this.#ended = true;
    clearInterval(this.#heartbeat);
    this.#onEnd(reason);
  }
}
