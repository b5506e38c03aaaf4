/**
 * One job's run inside a worker: the handler with its AbortSignal, the attempt timeout, lease
 * extension, then the one settlement the outcome calls for (settle.ts).
 *
 * States: running → ended, where ended is reached once by the first of:
 * - the handler settles while the lease holds → ack or nack;
 * - the attempt timeout fires → signal aborts (JobTimeoutError), nack as failed at once;
 * - the lease is lost → signal aborts (LeaseLostError), `error` event, nothing sent;
 * - a forced close → signal aborts (WorkerClosedError), nack to the front at once.
 * Invariants: at most one ack or nack per run; never an ack once the lease is lost or given
 * back. `onHandled` is called when the handler has returned a result to ack, so the job's slot
 * frees while the ack travels; a job that failed, timed out or lost its lease keeps its slot
 * until its handler has stopped and its settlement has finished, when `run()` resolves.
 */
import type { LeasedJob } from '@docket/protocol';
import type { Client } from '../client.ts';
import { typedLeasedJob } from '../typed-job.ts';
import type { Emitter, WorkerEvents } from './events.ts';
import type { Handler } from './handler.ts';
import { JobTimeoutError, LeaseLostError, WorkerClosedError } from './handler-errors.ts';
import { LeaseExtender } from './lease-extender.ts';
import { giveBack, settle, toError, type Outcome, type SettleDeps, type Settler } from './settle.ts';

export interface RunDeps<T, R> {
  readonly client: Client;
  readonly handler: Handler<T, R>;
  readonly events: Emitter<WorkerEvents<T, R>>;
  /** The lease length the worker asked for, or undefined for each job's own. */
  readonly leaseMs: number | undefined;
}

/** Where a job is settled: the client's transport, unless the job came over a consumer stream. */
export type SettleVia = Settler | undefined;

export class JobRun<T, R> {
  readonly job: LeasedJob;
  readonly #deps: RunDeps<T, R>;
  readonly #settleDeps: SettleDeps<T, R>;
  readonly #controller = new AbortController();
  readonly #extender: LeaseExtender;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #ended = false;
  #settlement: Promise<void> = Promise.resolve();
  readonly #onHandled: (() => void) | undefined;

  /** `onHandled` is called once the handler has returned, before the settlement finishes. */
  constructor(deps: RunDeps<T, R>, job: LeasedJob, leasedAt: number, via?: SettleVia, onHandled?: () => void) {
    this.job = job;
    this.#deps = deps;
    this.#onHandled = onHandled;
    const settler = via ?? deps.client.transport;
    this.#settleDeps = { transport: settler, events: deps.events };
    this.#extender = new LeaseExtender({
      transport: settler,
      job,
      leaseMs: deps.leaseMs ?? job.leaseMs,
      leasedAt,
      onLost: (error) => this.#lose(error),
      onError: (error) => deps.events.emit('error', toError(error)),
    });
  }

  /** Runs the handler; resolves when it returned and the job is settled. */
  async run(): Promise<void> {
    this.#extender.start();
    if (this.job.timeoutMs !== null) {
      const timeoutMs = this.job.timeoutMs;
      this.#timer = setTimeout(() => this.#timeOut(timeoutMs), timeoutMs);
    }
    const outcome = await this.#handle();
    // Only an ack frees the slot before its answer: a job given back keeps its slot until its
    // nack has answered, so this worker cannot run it again before announcing the retry.
    if (outcome.ok && !this.#ended && this.#extender.holds) this.#onHandled?.();
    clearTimeout(this.#timer);
    this.#extender.stop();
    if (!this.#ended) {
      if (this.#extender.holds) void this.#end(() => settle(this.#settleDeps, this.job, outcome));
      else this.#lose(new LeaseLostError(this.job, 'the lease ran out before the handler returned'));
    }
    await this.#settlement;
  }

  /** Forced close: abort the handler and give the job back to the front of its queue now. */
  giveBack(): Promise<void> {
    if (this.#ended) return this.#settlement;
    this.#controller.abort(new WorkerClosedError());
    return this.#end(() => giveBack(this.#settleDeps, this.job));
  }

  /** The lease went away with the connection that carried it (a dropped consumer stream). */
  abandon(reason: string): void {
    this.#lose(new LeaseLostError(this.job, reason));
  }

  async #handle(): Promise<Outcome<R>> {
    try {
      const job = typedLeasedJob<T>(this.job);
      return {
        ok: true,
        value: await this.#deps.handler(job, { signal: this.#controller.signal, client: this.#deps.client }),
      };
    } catch (err) {
      return { ok: false, error: toError(err) };
    }
  }

  #timeOut(timeoutMs: number): void {
    if (this.#ended) return;
    const error = new JobTimeoutError(this.job, timeoutMs);
    this.#controller.abort(error);
    void this.#end(() => settle(this.#settleDeps, this.job, { ok: false, error }));
  }

  #lose(error: LeaseLostError): void {
    if (this.#ended) return;
    this.#controller.abort(error);
    void this.#end(() => {
      this.#deps.events.emit('error', error);
      return Promise.resolve();
    });
  }

  #end(action: () => Promise<void>): Promise<void> {
    this.#ended = true;
    clearTimeout(this.#timer);
    this.#extender.stop();
    this.#settlement = action();
    return this.#settlement;
  }
}
