/**
 * Operation histories for the Jepsen-style checker (docs/reliability.md section 3).
 *
 * A history is the list of events the test clients saw, in real-time order. Each client process
 * `p` runs one operation at a time: an `invoke` event, then exactly one completion (`ok`, `fail`
 * or `info`). An invoke without a completion counts as `info` (the outcome is unknown).
 * The nemesis (`p: 'nemesis'`) records standalone `info` events such as `f: 'crash'`.
 *
 * Outcomes must be honest: `ok` is a definite success, `fail` means the operation definitely did
 * not happen (only documented errors returned before any write), `info` is unknown (timeouts,
 * resets, 5xx). A misclassified outcome makes the checker lie.
 */
import { writeFile } from 'node:fs/promises';
import { performance } from 'node:perf_hooks';

export type EventType = 'invoke' | 'ok' | 'fail' | 'info';
export type OpName = 'enqueue' | 'lease' | 'ack' | 'nack' | 'extend' | 'drain' | 'crash';

/** One job as a lease (or drain) returned it. */
export interface LeasedRecord {
  readonly value: string;
  readonly id: string;
  readonly token: string;
  readonly attempt: number;
  readonly leaseMs: number;
}

export interface HistoryEvent {
  readonly p: string;
  readonly node?: string;
  readonly type: EventType;
  readonly f: OpName;
  /** enqueue, ack, nack, extend: the job's value. */
  readonly value?: string;
  /** ack, nack, extend: the job id and the lease token presented. */
  readonly id?: string;
  readonly token?: string;
  /** extend: the new lease length. */
  readonly leaseMs?: number;
  /** lease and drain completions: the jobs returned. */
  readonly jobs?: readonly LeasedRecord[];
  /** Milliseconds on the monotonic clock (performance.now()). */
  readonly t: number;
  readonly error?: string;
}

export type EventFields = Omit<HistoryEvent, 'p' | 'type' | 't'>;

/** Appends events with monotonic timestamps; one recorder per test run, shared by all clients. */
export class HistoryRecorder {
  readonly #events: HistoryEvent[] = [];

  get events(): readonly HistoryEvent[] {
    return this.#events;
  }

  record(p: string, type: EventType, fields: EventFields): void {
    this.#events.push({ p, type, t: performance.now(), ...fields });
  }

  /** Runs `fn` as one operation of process `p`: records the invoke and the completion it returns. */
  async run<T>(p: string, fields: EventFields, fn: () => Promise<Completion<T>>): Promise<T | undefined> {
    this.record(p, 'invoke', fields);
    const completion = await fn();
    this.record(p, completion.type, { ...fields, ...completion.fields });
    return completion.type === 'ok' ? completion.result : undefined;
  }

  /** Writes the history as JSON lines, for a human to read after a failed run. */
  async save(path: string): Promise<void> {
    await writeFile(path, this.#events.map((event) => JSON.stringify(event)).join('\n') + '\n');
  }
}

export interface Completion<T> {
  readonly type: Exclude<EventType, 'invoke'>;
  readonly fields?: Partial<EventFields>;
  readonly result?: T;
}
