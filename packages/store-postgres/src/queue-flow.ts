/**
 * Flow control in the PostgreSQL store. A lease or enqueue that touches a queue with a limit
 * takes the queue's row lock first (queue-lock-flow.sql), then reads its config, active count,
 * rate window or backlog and applies the limit in the same transaction: every server's leases of
 * that queue queue up on the one row, so a limit holds across servers. Queues without limits keep
 * the one-statement paths and never take the row lock.
 *
 * Which queues have limits is routing knowledge: `LimitedQueues` reads them (queue-list-limited)
 * at migrate and again by the first call after REFRESH_MS, which waits for that read (one call
 * per second pays a short query); a change through this store applies at once. A limit set through another server binds this one
 * at once all the same: the fast lease statement skips every queue with a limit, and a lease that
 * came back short looks again (`lookAgain`) and takes the rest on the limited path. A `maxWaiting`
 * set through another server binds this one's enqueues within REFRESH_MS. The limits' numbers
 * are always read under the row lock. A queue with group settings counts as a lease limit too,
 * and an enqueue through this store puts its jobs without a group in that queue's ungrouped lane
 * once the store knows the queue is grouped (jobs it enqueued before are adopted then).
 */
import { hasGroupSettings, hasLeaseLimits, type QueueConfig } from '@docket/protocol';
import type { Session } from './session.ts';

const REFRESH_MS = 1_000;
/** How often a short fast-path lease may make the store re-read the limited queues. */
const LOOK_AGAIN_MS = 100;

export class LimitedQueues {
  #lease = new Set<string>();
  #enqueue = new Set<string>();
  #grouped = new Set<string>();
  /** Grouped queues this store learnt of by a read, to adopt once more at the next read. */
  #adoptAgain = new Set<string>();
  #loadedAt = -Infinity;
  #loading: Promise<void> | null = null;
  readonly #read: () => Promise<{ name: string; config: string }[]>;
  readonly #adopt: (queue: string) => Promise<unknown>;

  /**
   * `adopt`: moves a grouped queue's jobs without a group into its ungrouped lane; called for a
   * queue a read finds newly grouped (jobs this store enqueued before it knew), and once more at
   * the read after (enqueues that were under way).
   */
  constructor(read: () => Promise<{ name: string; config: string }[]>, adopt: (queue: string) => Promise<unknown>) {
    this.#read = read;
    this.#adopt = adopt;
  }

  /** The first read (the store's migrate calls it); later reads refresh in the background. */
  load(): Promise<void> {
    return this.#refresh();
  }

  /**
   * Null when the sets can be used now; when they are older than REFRESH_MS, the read that
   * refreshes them, to wait for (so a call routes on sets at most about a second old).
   */
  ready(): Promise<void> | null {
    if (performance.now() - this.#loadedAt < REFRESH_MS) return null;
    return this.#refresh();
  }

  /**
   * After a fast-path lease came back short: whether one of `queues` turned out to have a limit,
   * in the sets read again when they are older than LOOK_AGAIN_MS, else in the sets as they are
   * now (a read that finished while the lease ran may have found the limit the route missed).
   */
  async lookAgain(queues: readonly string[]): Promise<boolean> {
    if (performance.now() - this.#loadedAt >= LOOK_AGAIN_MS) await this.#refresh();
    return this.leaseLimited(queues);
  }

  /** Whether any of `queues` has a concurrency or rate limit. */
  leaseLimited(queues: readonly string[]): boolean {
    if (this.#lease.size === 0) return false;
    for (const queue of queues) if (this.#lease.has(queue)) return true;
    return false;
  }

  /** Whether any of `queues` has a `maxWaiting` or a `maxBytes`. */
  enqueueLimited(queues: Iterable<string>): boolean {
    if (this.#enqueue.size === 0) return false;
    for (const queue of queues) if (this.#enqueue.has(queue)) return true;
    return false;
  }

  /**
   * Whether any of `queues` has group settings (an enqueue puts its jobs without a group in the
   * ungrouped lane).
   */
  grouped(queue: string): boolean {
    return this.#grouped.size > 0 && this.#grouped.has(queue);
  }

  /** A config written through this store: applies at once. */
  configured(queue: string, config: QueueConfig): void {
    toggle(this.#lease, queue, hasLeaseLimits(config));
    toggle(this.#enqueue, queue, config.maxWaiting !== undefined || config.maxBytes !== undefined);
    toggle(this.#grouped, queue, hasGroupSettings(config));
  }

  #refresh(): Promise<void> {
    this.#loading ??= this.#read()
      .then((rows) => {
        const lease = new Set<string>();
        const enqueue = new Set<string>();
        const grouped = new Set<string>();
        for (const row of rows) {
          const config = JSON.parse(row.config) as QueueConfig;
          if (hasLeaseLimits(config)) lease.add(row.name);
          if (config.maxWaiting !== undefined || config.maxBytes !== undefined) enqueue.add(row.name);
          if (hasGroupSettings(config)) grouped.add(row.name);
        }
        const adopt = [...this.#adoptAgain].filter((queue) => grouped.has(queue));
        const learnt = this.#loadedAt === -Infinity ? [] : [...grouped].filter((queue) => !this.#grouped.has(queue));
        this.#lease = lease;
        this.#enqueue = enqueue;
        this.#grouped = grouped;
        this.#adoptAgain = new Set(learnt);
        this.#loadedAt = performance.now();
        for (const queue of [...adopt, ...learnt]) this.#adopt(queue).catch(() => undefined);
      })
      .catch(() => undefined)
      .finally(() => {
        this.#loading = null;
      });
    return this.#loading;
  }
}

/** Calls in progress before they reach the executor, so `close` can wait for them too. */
export class PendingCalls {
  readonly #pending = new Set<Promise<unknown>>();

  track<T>(call: Promise<T>): Promise<T> {
    this.#pending.add(call);
    const forget = (): void => {
      this.#pending.delete(call);
    };
    call.then(forget, forget);
    return call;
  }

  async settled(): Promise<void> {
    await Promise.allSettled([...this.#pending]);
  }
}

function toggle(set: Set<string>, queue: string, on: boolean): void {
  if (on) set.add(queue);
  else set.delete(queue);
}

/** A queue row as queue-lock-flow reads it. */
export interface LockedQueue {
  readonly name: string;
  readonly paused: boolean;
  readonly config: string;
  readonly rate_start: number | null;
  readonly rate_used: number;
}

/** Locks the queues' rows in name order and reads them. */
export function lockQueues(s: Session, names: readonly string[]): Promise<LockedQueue[]> {
  return s.rows<LockedQueue>('queue-lock-flow', { names });
}
