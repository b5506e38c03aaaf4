/**
 * emq's blocking wait (`POST /wait/` with a timeout): a FIFO of waiters, each needing a whole
 * set of tasks at once, composed from engine leases.
 *
 * Waiter states: waiting → done. A waiter is done when it is satisfied (it gets every position),
 * when its timeout passes (it gets a final partial take: nulls appear only then), or when its
 * request is aborted (client gone, server closing: it takes nothing).
 *
 * Evaluation: one pass at a time walks the waiters in registration order; a waiter that cannot
 * be fully satisfied does not block later ones, and of two waiters wanting the same task the
 * earlier one gets it. A pass runs when a waiter registers or times out, on every engine event
 * that can make a task ready in a queue some waiter wants (enqueue, nack, promote, reap,
 * retry, resume, redrive), including another server's notification over a shared store
 * (`queue:ready`); the store is never polled.
 *
 * Invariants: a waiter leaves the list in the same step that hands it its tasks, and handing
 * over is a promise resolution that never blocks (emq's deadlock came from a blocking send made
 * under its global lock); tasks taken for a waiter that was aborted meanwhile go back to the
 * front of their queues; give-backs made by a pass do not trigger another pass.
 */
import type { Engine } from '@docket/core';
import { giveBack, takeAll, takeAvailable, type WaitAnswer, type WaitPlan } from './take.ts';

interface Waiter {
  readonly plan: WaitPlan;
  timedOut: boolean;
  done: boolean;
  finish(answer: WaitAnswer | Error): void;
}

export class WaitRoom {
  readonly #engine: Engine;
  readonly #waiters: Waiter[] = [];
  /** Ids this room is giving back: their `job:nacked` events are its own doing. */
  readonly #returning = new Set<string>();
  #running = false;
  #again = false;
  #stopListening: (() => void) | null = null;

  constructor(engine: Engine) {
    this.#engine = engine;
  }

  /** Resolves with every position filled, or at `timeoutMs` with what is there (nulls elsewhere). */
  wait(plan: WaitPlan, timeoutMs: number, signal: AbortSignal): Promise<WaitAnswer> {
    return new Promise((resolve, reject) => {
      const onAbort = (): void => waiter.finish(plan.positions.map(() => null));
      const timer = setTimeout(() => {
        waiter.timedOut = true;
        this.#kick();
      }, timeoutMs);
      const waiter: Waiter = {
        plan,
        timedOut: false,
        done: false,
        finish: (answer) => {
          if (waiter.done) return;
          waiter.done = true;
          clearTimeout(timer);
          signal.removeEventListener('abort', onAbort);
          this.#remove(waiter);
          if (answer instanceof Error) reject(answer);
          else resolve(answer);
        },
      };
      signal.addEventListener('abort', onAbort, { once: true });
      this.#waiters.push(waiter);
      this.#listen();
      if (signal.aborted) onAbort();
      else this.#kick();
    });
  }

  #remove(waiter: Waiter): void {
    const at = this.#waiters.indexOf(waiter);
    if (at >= 0) this.#waiters.splice(at, 1);
    if (this.#waiters.length === 0) this.#unlisten();
  }

  #kick(): void {
    if (this.#running) {
      this.#again = true;
      return;
    }
    this.#running = true;
    void this.#run();
  }

  async #run(): Promise<void> {
    do {
      this.#again = false;
      for (const waiter of [...this.#waiters]) if (!waiter.done) await this.#evaluate(waiter);
    } while (this.#again);
    this.#running = false;
  }

  async #evaluate(waiter: Waiter): Promise<void> {
    try {
      const answer = waiter.timedOut
        ? await takeAvailable(this.#engine, waiter.plan)
        : await takeAll(this.#engine, waiter.plan, this.#returning);
      if (answer === null) return;
      if (waiter.done) await this.#giveBack(answer);
      else waiter.finish(answer);
    } catch (err) {
      waiter.finish(err instanceof Error ? err : new Error(String(err)));
    }
  }

  async #giveBack(answer: WaitAnswer): Promise<void> {
    const jobs = answer.filter((job) => job !== null);
    await giveBack(this.#engine, jobs, this.#returning);
  }

  #wants(queue: string): boolean {
    return this.#waiters.some((waiter) => waiter.plan.needs.has(queue));
  }

  #onJob = ({ job }: { readonly job: { readonly id: string; readonly queue: string } }): void => {
    if (this.#returning.has(job.id)) return;
    if (this.#wants(job.queue)) this.#kick();
  };

  #onQueue = (queue: string): void => {
    if (this.#wants(queue)) this.#kick();
  };

  #listen(): void {
    if (this.#stopListening !== null) return;
    const events = this.#engine.events;
    const stops = [
      events.on('job:enqueued', this.#onJob),
      events.on('job:nacked', this.#onJob),
      events.on('job:promoted', this.#onJob),
      events.on('job:reaped', this.#onJob),
      events.on('job:retrying', this.#onJob),
      events.on('queue:resumed', ({ queue }) => this.#onQueue(queue.name)),
      events.on('queue:redriven', ({ queue }) => this.#onQueue(queue)),
      events.on('queue:ready', ({ queue }) => this.#onQueue(queue)),
    ];
    this.#stopListening = () => {
      for (const stop of stops) stop();
    };
  }

  #unlisten(): void {
    this.#stopListening?.();
    this.#stopListening = null;
  }
}
