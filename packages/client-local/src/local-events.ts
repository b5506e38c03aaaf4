/**
 * A queue's lifecycle events in library mode, straight from the engine's event hub, as the
 * same async iterator the HTTP transport gives. There is no connection to lose, so nothing to
 * resume: a `lastEventId` (from another process, or an earlier iteration) cannot be honoured
 * and is answered with a `missed` marker first.
 *
 * Invariant: at most BUFFER_MAX events wait for a slow reader; past that the oldest are dropped
 * and a `missed` marker takes their place, so memory stays bounded whatever the reader does.
 */
import { onJobEvents, type EngineEvents, type EventHub } from '@docket/core';
import { jobEventData, type QueueEvent } from '@docket/protocol';
import type { EventsRequest } from '@docket/client';

/** As the server's per-queue event log: 1 000 events. */
const BUFFER_MAX = 1000;

let streams = 0;

export async function* localEvents(
  hub: EventHub<EngineEvents>,
  queue: string,
  request: EventsRequest,
): AsyncGenerator<QueueEvent> {
  streams += 1;
  const prefix = `local${streams.toString(36)}-`;
  let seq = 0;
  const buffered: QueueEvent[] = [];
  /** Events were dropped from the head of the buffer since the reader's last event. */
  let overflowed = false;
  let lastYielded = request.lastEventId ?? '';
  let wake: (() => void) | undefined;
  const notify = (): void => {
    const w = wake;
    wake = undefined;
    w?.();
  };
  if (request.lastEventId !== undefined) buffered.push({ type: 'missed', lastEventId: request.lastEventId });
  const off = onJobEvents(hub, (type, job, error) => {
    if (job.queue !== queue) return;
    seq += 1;
    if (buffered.length >= BUFFER_MAX) {
      buffered.shift();
      overflowed = true;
    }
    buffered.push({ id: `${prefix}${seq}`, type, data: jobEventData(job, error) });
    notify();
  });
  const onAbort = (): void => notify();
  request.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    for (;;) {
      if (request.signal?.aborted === true) return;
      if (overflowed) {
        overflowed = false;
        yield { type: 'missed', lastEventId: lastYielded };
      }
      const next = buffered.shift();
      if (next === undefined) {
        await new Promise<void>((resolve) => (wake = resolve));
        continue;
      }
      if (next.type !== 'missed') lastYielded = next.id;
      yield next;
    }
  } finally {
    off();
    request.signal?.removeEventListener('abort', onAbort);
  }
}
