/**
 * Long-poll waiters: lease calls with `waitMs` that found nothing park here until a job may be
 * ready in one of their queues. Woken by enqueue, nack, promotion, reaping, redrive and resume
 * (and, across nodes, by the store's notify capability), never by polling the store in a loop.
 *
 * Invariants:
 * - No lost wake-up: each queue has a version that every wake increments. A lease call takes a
 *   snapshot of its queues' versions *before* asking the store; if any version moved by the time
 *   it parks, it does not park and asks again.
 * - A wake for `count` ready jobs wakes up to `count` waiters of that queue, oldest first, so a
 *   single enqueue does not stampede every long-poller. A woken waiter that ends without leasing
 *   (its caller went away) hands the wake on with `wake(queue, 1)`.
 * - Every parked waiter ends exactly once: woken, timed out, aborted, or released by `closeAll`.
 */
import type { Clock, TimerHandle } from './clock.ts';

export type WaitOutcome = 'woken' | 'timeout' | 'aborted' | 'closed';

interface Waiter {
  readonly queues: readonly string[];
  readonly settle: (outcome: WaitOutcome) => void;
}

export type VersionSnapshot = ReadonlyMap<string, number>;

export class LeaseWaiters {
  readonly #clock: Clock;
  readonly #versions = new Map<string, number>();
  readonly #byQueue = new Map<string, Set<Waiter>>();
  #closed = false;

  constructor(clock: Clock) {
    this.#clock = clock;
  }

  snapshot(queues: readonly string[]): VersionSnapshot {
    return new Map(queues.map((q) => [q, this.#versions.get(q) ?? 0]));
  }

  /** Parks until a wake for one of the snapshot's queues, `ms` passes, `signal` aborts, or closeAll. */
  wait(snapshot: VersionSnapshot, ms: number, signal?: AbortSignal): Promise<WaitOutcome> {
    if (this.#closed) return Promise.resolve('closed');
    if (signal?.aborted) return Promise.resolve('aborted');
    for (const [queue, version] of snapshot) {
      if ((this.#versions.get(queue) ?? 0) !== version) return Promise.resolve('woken');
    }
    return new Promise((resolve) => {
      const queues = [...snapshot.keys()];
      const onAbort = (): void => settle('aborted');
      const waiter: Waiter = { queues, settle: (outcome) => settle(outcome) };
      const settle = (outcome: WaitOutcome): void => {
        for (const q of queues) this.#byQueue.get(q)?.delete(waiter);
        timer.cancel();
        signal?.removeEventListener('abort', onAbort);
        resolve(outcome);
      };
      for (const q of queues) {
        let set = this.#byQueue.get(q);
        if (set === undefined) {
          set = new Set();
          this.#byQueue.set(q, set);
        }
        set.add(waiter);
      }
      const timer: TimerHandle = this.#clock.setTimer(ms, () => settle('timeout'));
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** Up to `count` jobs may have become ready in `queue`. */
  wake(queue: string, count = 1): void {
    this.#versions.set(queue, (this.#versions.get(queue) ?? 0) + 1);
    const set = this.#byQueue.get(queue);
    if (set === undefined) return;
    let left = count;
    for (const waiter of [...set]) {
      if (left <= 0) break;
      waiter.settle('woken');
      left -= 1;
    }
    if (set.size === 0) this.#byQueue.delete(queue);
  }

  /** Waiters parked now, over all queues (a waiter on several queues counts once). */
  size(): number {
    const all = new Set<Waiter>();
    for (const set of this.#byQueue.values()) for (const w of set) all.add(w);
    return all.size;
  }

  /** Releases every waiter (on close) and refuses new ones. */
  closeAll(): void {
    this.#closed = true;
    for (const set of [...this.#byQueue.values()]) for (const w of [...set]) w.settle('closed');
    this.#byQueue.clear();
  }
}
