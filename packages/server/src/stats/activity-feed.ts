/**
 * The activity feed behind `GET /v1/stats/activity` (SSE): once a second, the names of the queues
 * that had any job event (enqueue, lease, ack, failure) in that second, from this process's
 * Throughput. It lets a dashboard refresh what changed at a fixed rate, whatever the job
 * throughput: the server sends one small frame a second per subscriber instead of one per job.
 *
 * Invariants: nothing runs without a subscriber (the timer starts with the first and stops with
 * the last); a tick costs one pass over the queues Throughput tracks (those with an event in the
 * last 5 minutes), nothing per job beyond the counter Throughput keeps anyway; a frame goes out
 * every tick, empty when nothing happened, so a page knows the feed is alive.
 */
import type { Throughput } from './throughput.ts';

export interface ActivityFrame {
  /** The tick's time (ms since the epoch, this server's clock). */
  readonly at: number;
  /** Queues with job events since the previous tick, by name. */
  readonly queues: readonly string[];
}

export type ActivityListener = (frame: ActivityFrame) => void;

export const ACTIVITY_TICK_MS = 1000;

export class ActivityFeed {
  readonly #throughput: Throughput;
  readonly #tickMs: number;
  readonly #listeners = new Set<ActivityListener>();
  readonly #seen = new Map<string, number>();
  #timer: ReturnType<typeof setInterval> | null = null;

  constructor(throughput: Throughput, tickMs = ACTIVITY_TICK_MS) {
    this.#throughput = throughput;
    this.#tickMs = tickMs;
  }

  /** Frames from the next tick on; returns the unsubscribe function. */
  subscribe(listener: ActivityListener): () => void {
    if (this.#listeners.size === 0) this.#start();
    this.#listeners.add(listener);
    return () => {
      this.#listeners.delete(listener);
      if (this.#listeners.size === 0) this.#stop();
    };
  }

  get subscribers(): number {
    return this.#listeners.size;
  }

  close(): void {
    this.#listeners.clear();
    this.#stop();
  }

  #start(): void {
    this.#seen.clear();
    for (const [queue, ring] of this.#throughput.queueEventCounts()) this.#seen.set(queue, ring.events);
    this.#timer = setInterval(() => this.#tick(), this.#tickMs);
    this.#timer.unref();
  }

  #stop(): void {
    if (this.#timer !== null) clearInterval(this.#timer);
    this.#timer = null;
  }

  #tick(): void {
    const queues: string[] = [];
    const now = new Map<string, number>();
    for (const [queue, ring] of this.#throughput.queueEventCounts()) {
      now.set(queue, ring.events);
      if (this.#seen.get(queue) !== ring.events) queues.push(queue);
    }
    this.#seen.clear();
    for (const [queue, events] of now) this.#seen.set(queue, events);
    const frame: ActivityFrame = { at: Date.now(), queues: queues.sort() };
    for (const listener of this.#listeners) listener(frame);
  }
}
