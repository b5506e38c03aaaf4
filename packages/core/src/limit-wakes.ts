/**
 * Wake-ups that flow control needs and nothing else gives: a queue's limit opening again makes
 * no job ready, so no enqueue, nack or promotion announces it.
 *
 * - A slot of a `concurrency` or `groupConcurrency` limit opens when one of the queue's jobs
 *   leaves `active` (acked,
 *   nacked, retried, dead, reaped, expired, cancelled). Only queues whose config this engine has
 *   cached are known (a throttled lease caches its queues' configs first).
 * - A rate window opens at a time the store told a throttled lease (`windowOpensIn`); one timer
 *   per queue, the earliest asked for.
 *
 * Either way `wake(queue)` runs: the engine wakes its long-polls, tells the other servers, and
 * emits `queue:ready`, so front doors that wait on events (emq's wait room) look again too.
 * Invariant: at most one timer per queue; `close` cancels them all.
 */
import type { Job } from '@docket/protocol';
import type { Clock, TimerHandle } from './clock.ts';
import type { EventHub } from './event-hub.ts';
import { LEFT_ACTIVE_EVENTS, type EngineEvents } from './events.ts';
import type { QueueConfigs } from './queue-configs.ts';

export class LimitWakes {
  readonly #clock: Clock;
  readonly #wake: (queue: string) => void;
  readonly #timers = new Map<string, { readonly at: number; readonly timer: TimerHandle }>();
  readonly #stops: (() => void)[];

  constructor(events: EventHub<EngineEvents>, configs: QueueConfigs, clock: Clock, wake: (queue: string) => void) {
    this.#clock = clock;
    this.#wake = wake;
    const onLeft = ({ job }: { readonly job: Job }): void => {
      const config = configs.peek(job.queue);
      if (config?.concurrency !== undefined || config?.groupConcurrency !== undefined) wake(job.queue);
    };
    this.#stops = LEFT_ACTIVE_EVENTS.map((event) => events.on(event, onLeft));
  }

  /** The rate window of `queues` opens in `ms`: wake them then (unless a wake is due sooner). */
  windowOpensIn(queues: readonly string[], ms: number): void {
    const at = this.#clock.now() + ms;
    for (const queue of queues) {
      const pending = this.#timers.get(queue);
      if (pending !== undefined && pending.at <= at) continue;
      pending?.timer.cancel();
      const timer = this.#clock.setTimer(ms, () => {
        this.#timers.delete(queue);
        this.#wake(queue);
      });
      this.#timers.set(queue, { at, timer });
    }
  }

  close(): void {
    for (const stop of this.#stops) stop();
    for (const { timer } of this.#timers.values()) timer.cancel();
    this.#timers.clear();
  }
}
