/**
 * Sends this store's "jobs may be ready" notifications. They go out on a connection of their own
 * (a pool of one), so a wake-up never waits behind the operations queued for the main pool; when
 * a reaper gives back a burst of jobs, the first NOTIFY leaves as soon as the first job is back.
 * Notifications raised in the same tick are coalesced: one NOTIFY per queue, counts summed.
 *
 * Invariants: best effort and never rejects (a lost notification leaves a remote long-poll
 * parked until its next wake or its timeout); after `close()` nothing more is sent.
 */
import type pg from 'pg';
import { createPool, type PoolOptions } from './pool.ts';
import { encodeReady } from './ready-channel.ts';

export class ReadyNotifier {
  readonly #pool: pg.Pool;
  readonly #channel: string;
  readonly #nodeId: string;
  readonly #pending = new Map<string, number>();
  #scheduled = false;
  #closed = false;

  constructor(options: Omit<PoolOptions, 'poolSize'>, channel: string, nodeId: string) {
    this.#pool = createPool({ ...options, poolSize: 1 });
    this.#channel = channel;
    this.#nodeId = nodeId;
  }

  notify(queue: string, count: number): void {
    if (this.#closed) return;
    this.#pending.set(queue, (this.#pending.get(queue) ?? 0) + count);
    if (this.#scheduled) return;
    this.#scheduled = true;
    setImmediate(() => this.#flush());
  }

  #flush(): void {
    this.#scheduled = false;
    if (this.#closed) return;
    for (const [queue, count] of this.#pending) {
      const payload = encodeReady({ node: this.#nodeId, queue, count });
      this.#pool.query('SELECT pg_notify($1, $2)', [this.#channel, payload]).catch(() => {
        // Best effort: see the header.
      });
    }
    this.#pending.clear();
  }

  async close(): Promise<void> {
    this.#closed = true;
    this.#pending.clear();
    await this.#pool.end();
  }
}
