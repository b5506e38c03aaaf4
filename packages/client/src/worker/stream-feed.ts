/**
 * A worker's jobs over the consumer stream instead of lease calls: one connection, jobs pushed
 * up to `prefetch` (concurrency by default), settled on the same connection so each settlement
 * frees its slot in the server's window.
 *
 * States: connecting → streaming → (dropped → connecting …) → stopping → stopped.
 * - dropped: the server gave every unsettled job back to the front when the connection ended,
 *   so running handlers lose their leases (signal aborts with LeaseLostError) and jobs waiting
 *   for a slot are forgotten; it reconnects after a pause (reported as `error` unless the server
 *   said it was shutting down).
 * - stopping (close): the window is set to 0, so no job comes after the server's answer; jobs
 *   waiting for a slot go back to the front. `run()` resolves then; the connection stays open
 *   until `disconnect()`, so running jobs still settle on it.
 * Invariants: at most `concurrency` handlers run; a job is started, given back, or (on a
 * dropped connection) left to the server, exactly once.
 */
import { UnavailableError, type LeasedJob } from '@docket/protocol';
import { sleep } from '../sleep.ts';
import type { ConsumerStream, StreamClosed, Transport } from '../transport.ts';
import type { Emitter, WorkerEvents } from './events.ts';
import type { InFlight } from './in-flight.ts';
import type { Settler } from './settle.ts';
import { toError } from './settle.ts';

export interface StreamFeedOptions<T, R> {
  readonly transport: Transport & Required<Pick<Transport, 'consume'>>;
  readonly queues: () => readonly string[];
  readonly concurrency: number;
  readonly prefetch: number;
  readonly leaseMs: number | undefined;
  readonly worker: string;
  readonly events: Emitter<WorkerEvents<T, R>>;
  readonly inFlight: InFlight<{ abandon(reason: string): void }>;
  /** Starts a job's run, settling through `via`; resolves when the run has ended. */
  readonly start: (job: LeasedJob, receivedAt: number, via: Settler) => Promise<void>;
  /** The pause before reconnecting after `failures` failed or dropped connections. */
  readonly retryDelay: (failures: number) => number;
  /** How long to wait before looking again when there is no queue to consume yet. */
  readonly idleMs: number;
}

export class StreamFeed<T, R> {
  readonly #o: StreamFeedOptions<T, R>;
  #stream: ConsumerStream | undefined;
  #settler: Settler | undefined;
  /** Received while every slot was busy (prefetch above concurrency). */
  #waiting: Array<{ job: LeasedJob; at: number }> = [];
  #emptyPending = false;
  #stopping = false;

  constructor(options: StreamFeedOptions<T, R>) {
    this.#o = options;
  }

  /** Resolves once no further job will start (after `stop` aborts and delivery has stopped). */
  async run(stop: AbortSignal): Promise<void> {
    let failures = 0;
    while (!stop.aborted) {
      const queues = this.#o.queues();
      if (queues.length === 0) {
        await sleep(this.#o.idleMs, stop).catch(() => undefined);
        continue;
      }
      let stream: ConsumerStream;
      try {
        stream = await this.#open(queues);
        failures = 0;
      } catch (err) {
        if (stop.aborted) break;
        failures += 1;
        this.#o.events.emit('error', toError(err));
        await sleep(this.#o.retryDelay(failures), stop).catch(() => undefined);
        continue;
      }
      const closed = await Promise.race([stream.closed, whenAborted(stop)]);
      if (closed === null) {
        await this.#stopDelivery(stream);
        return;
      }
      this.#dropped(closed);
      failures = closed.reason === 'shutdown' ? 0 : failures + 1;
      await sleep(this.#o.retryDelay(Math.max(1, failures)), stop).catch(() => undefined);
    }
  }

  /** Closes the connection once the worker has closed (its jobs settled or given back). */
  async disconnect(): Promise<void> {
    await this.#stream?.close();
  }

  async #open(queues: readonly string[]): Promise<ConsumerStream> {
    const stream = await this.#o.transport.consume({
      queues,
      prefetch: this.#o.prefetch,
      worker: this.#o.worker,
      ...(this.#o.leaseMs === undefined ? {} : { leaseMs: this.#o.leaseMs }),
      onJob: (job) => this.#receive(job),
      onEmpty: () => this.#empty(),
      onError: (error) => this.#o.events.emit('error', error),
    });
    this.#stream = stream;
    this.#settler = {
      ack: (id, request) => stream.ack(id, request),
      nack: (id, request) => stream.nack(id, request),
      extend: (id, request) => stream.extend(id, request),
      get: (id) => this.#o.transport.get(id),
    };
    return stream;
  }

  #receive(job: LeasedJob): void {
    this.#emptyPending = false;
    const settler = this.#settler;
    if (this.#stopping || settler === undefined) {
      void this.#giveBack([job]);
      return;
    }
    if (this.#o.inFlight.size < this.#o.concurrency) this.#start(job, performance.now(), settler);
    else this.#waiting.push({ job, at: performance.now() });
  }

  #start(job: LeasedJob, at: number, settler: Settler): void {
    void this.#o.start(job, at, settler).finally(() => this.#slotFreed());
  }

  #slotFreed(): void {
    const next = this.#stopping ? undefined : this.#waiting.shift();
    if (next !== undefined && this.#settler !== undefined) {
      this.#start(next.job, next.at, this.#settler);
      return;
    }
    if (this.#emptyPending && this.#o.inFlight.size === 0 && this.#waiting.length === 0) {
      this.#emptyPending = false;
      this.#o.events.emit('drained');
    }
  }

  /** The server found no work while this stream held no job. */
  #empty(): void {
    if (this.#o.inFlight.size === 0 && this.#waiting.length === 0) this.#o.events.emit('drained');
    else this.#emptyPending = true;
  }

  #dropped(closed: StreamClosed): void {
    this.#stream = undefined;
    this.#settler = undefined;
    this.#waiting = [];
    const reason = `the consumer stream closed (${closed.message}): the server gave the job back`;
    for (const run of this.#o.inFlight.values()) run.abandon(reason);
    if (closed.reason !== 'shutdown') {
      this.#o.events.emit('error', new UnavailableError(`consumer stream closed: ${closed.message}`, { ...closed }));
    }
  }

  async #stopDelivery(stream: ConsumerStream): Promise<void> {
    this.#stopping = true;
    await stream.setPrefetch(0).catch(() => undefined);
    const waiting = this.#waiting.map(({ job }) => job);
    this.#waiting = [];
    await this.#giveBack(waiting);
  }

  async #giveBack(jobs: readonly LeasedJob[]): Promise<void> {
    const settler = this.#settler;
    if (settler === undefined) return;
    await Promise.all(
      jobs.map((job) =>
        settler
          .nack(job.id, { token: job.leaseToken, placement: 'front' })
          .catch((err: unknown) => this.#o.events.emit('error', toError(err))),
      ),
    );
  }
}

function whenAborted(signal: AbortSignal): Promise<null> {
  return new Promise((resolve) => {
    if (signal.aborted) resolve(null);
    else signal.addEventListener('abort', () => resolve(null), { once: true });
  });
}
