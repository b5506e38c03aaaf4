/**
 * A queue's lifecycle events over SSE (`GET /v1/queues/{queue}/events`) as an async iterator.
 * It reconnects by itself, with `Last-Event-ID`, when the connection drops or the server says
 * `closing` (shutdown, or this reader fell behind), so the caller sees one continuous sequence;
 * where the server could not resume, a `missed` item marks the gap.
 *
 * States: connecting → streaming → (dropped → waiting → connecting …) → done. Done when the
 * caller stops iterating or aborts `signal`, or on an answer that retrying cannot fix (a 4xx,
 * thrown as the catalog's error class).
 */
import { createParser, type EventSourceMessage } from 'eventsource-parser';
import { JOB_EVENT_TYPES, type JobEventData, type JobEventType, type QueueEvent } from '@docket/protocol';
import { errorFromStatus, errorFromWire, type WireError } from '../errors.ts';
import { sleep } from '../sleep.ts';
import type { EventsRequest } from '../transport.ts';

export interface SseOptions {
  readonly base: string;
  readonly headers: Readonly<Record<string, string>>;
}

/** Reconnect pauses: the server's `retry` hint (2 s) at first, doubling to 30 s while it fails. */
const RECONNECT_MAX_MS = 30_000;
const RECONNECT_DEFAULT_MS = 2000;

const EVENT_TYPES = new Set<string>(JOB_EVENT_TYPES);

class Fatal extends Error {}

/** Read through a function: TypeScript would keep the narrowing of an earlier check across awaits. */
function aborted(signal: AbortSignal | undefined): boolean {
  return signal?.aborted === true;
}

/**
 * @example
 * for await (const event of queueEvents(options, 'emails', {})) {
 *   if (event.type === 'dead') console.warn(event.data.id, event.data.error?.message);
 * }
 */
export async function* queueEvents(
  options: SseOptions,
  queue: string,
  request: EventsRequest,
): AsyncGenerator<QueueEvent> {
  let lastEventId = request.lastEventId;
  let pauseMs = RECONNECT_DEFAULT_MS;
  let failures = 0;
  const url = `${options.base.replace(/\/+$/, '')}/v1/queues/${encodeURIComponent(queue)}/events`;
  for (;;) {
    if (request.signal?.aborted === true) return;
    const controller = new AbortController();
    const onAbort = (): void => controller.abort();
    request.signal?.addEventListener('abort', onAbort, { once: true });
    const buffered: QueueEvent[] = [];
    const parser = createParser({
      onEvent: (message) => {
        const event = toQueueEvent(message);
        if (event === null) return;
        if (event.type !== 'missed') lastEventId = event.id;
        buffered.push(event);
      },
      onRetry: (ms) => (pauseMs = ms),
    });
    try {
      const response = await fetch(url, {
        headers: {
          ...options.headers,
          accept: 'text/event-stream',
          ...(lastEventId === undefined ? {} : { 'last-event-id': lastEventId }),
        },
        signal: controller.signal,
      });
      if (!response.ok || response.body === null) await refuse(response);
      failures = 0;
      const reader = (response.body as ReadableStream<Uint8Array>).getReader();
      const decoder = new TextDecoder();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        parser.feed(decoder.decode(value, { stream: true }));
        while (buffered.length > 0) yield buffered.shift() as QueueEvent;
      }
    } catch (err) {
      if (err instanceof Fatal) throw err.cause;
      if (aborted(request.signal)) return;
      failures += 1;
    } finally {
      controller.abort();
      request.signal?.removeEventListener('abort', onAbort);
    }
    const wait = Math.min(RECONNECT_MAX_MS, pauseMs * 2 ** Math.max(0, failures - 1));
    await sleep(wait, request.signal).catch(() => undefined);
  }
}

/** A 4xx cannot be fixed by reconnecting: it ends the iteration. Anything else is retried. */
async function refuse(response: Response): Promise<never> {
  const text = await response.text().catch(() => '');
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  const wire = (body as { error?: WireError } | undefined)?.error;
  const error = wire === undefined ? errorFromStatus(response.status, text) : errorFromWire(response.status, wire);
  if (response.status >= 400 && response.status < 500 && response.status !== 429)
    throw new Fatal(error.message, { cause: error });
  throw error;
}

function toQueueEvent(message: EventSourceMessage): QueueEvent | null {
  if (message.event === 'missed') {
    const { lastEventId } = JSON.parse(message.data) as { lastEventId?: string };
    return { type: 'missed', lastEventId: lastEventId ?? '' };
  }
  if (message.event === undefined || !EVENT_TYPES.has(message.event) || message.id === undefined) return null;
  return { id: message.id, type: message.event as JobEventType, data: JSON.parse(message.data) as JobEventData };
}
