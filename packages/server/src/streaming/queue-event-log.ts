/**
 * One queue's recent lifecycle events, for the event stream: a ring of the last `capacity`
 * events, each rendered once as its SSE frame (shared by every subscriber), and the live
 * subscribers of the queue.
 *
 * Event ids are `<epoch>-<seq>`: `seq` counts events of this log from 1; `epoch` names this log,
 * so an id from an earlier log of the same queue (evicted, or before a restart) is recognised
 * as one the log cannot resume from, rather than confused with a number of this one.
 * Invariants: the ring holds the events with seq in (last − size, last], in order; a resume
 * after an id the ring still covers loses nothing.
 */
import type { JobEventData, JobEventType } from '@docket/protocol';

export interface LoggedEvent {
  readonly seq: number;
  /** The SSE frame: `id`, `event` and `data` lines and the blank line. */
  readonly frame: string;
}

export type EventListener = (event: LoggedEvent) => void;

export interface Resumption {
  /** True when events after `lastEventId` may be missing (too old, unknown, or from another log). */
  readonly missed: boolean;
  readonly events: readonly LoggedEvent[];
}

let epochs = 0;

function newEpoch(): string {
  epochs += 1;
  return `${Date.now().toString(36)}${epochs.toString(36)}`;
}

export class QueueEventLog {
  readonly epoch = newEpoch();
  readonly subscribers = new Set<EventListener>();
  /** When the last subscriber left (performance.now()), or undefined while someone listens. */
  idleSince: number | undefined;
  readonly #ring: (LoggedEvent | undefined)[];
  #last = 0;

  constructor(capacity: number) {
    this.#ring = new Array<LoggedEvent | undefined>(capacity);
  }

  append(type: JobEventType, data: JobEventData): void {
    this.#last += 1;
    const seq = this.#last;
    const event: LoggedEvent = {
      seq,
      frame: `id: ${this.epoch}-${seq}\nevent: ${type}\ndata: ${JSON.stringify(data)}\n\n`,
    };
    this.#ring[seq % this.#ring.length] = event;
    for (const listener of this.subscribers) listener(event);
  }

  /** The events to replay for a client that last saw `lastEventId` (none for a fresh client). */
  resume(lastEventId: string | undefined): Resumption {
    if (lastEventId === undefined) return { missed: false, events: [] };
    const dash = lastEventId.lastIndexOf('-');
    const epoch = lastEventId.slice(0, dash);
    const seqText = lastEventId.slice(dash + 1);
    const seq = /^\d{1,15}$/.test(seqText) ? Number(seqText) : NaN;
    const first = Math.max(1, this.#last - this.#ring.length + 1);
    if (dash < 0 || epoch !== this.epoch || !(seq <= this.#last) || seq < first - 1) {
      return { missed: true, events: this.#since(first - 1) };
    }
    return { missed: false, events: this.#since(seq) };
  }

  #since(seq: number): LoggedEvent[] {
    const events: LoggedEvent[] = [];
    for (let s = seq + 1; s <= this.#last; s += 1) {
      const event = this.#ring[s % this.#ring.length];
      if (event !== undefined) events.push(event);
    }
    return events;
  }
}
