/**
 * The queue of the jobs a call names by id, for authorizing it: read from the engine, except for
 * a call that presents a lease this server handed out (ack, nack, extend, alone or in a batch),
 * whose queue is remembered from the lease. With grants on queue patterns every ack would
 * otherwise cost one store read before its own write.
 *
 * Why a remembered queue is exact: it is keyed by the lease token, which the engine mints at
 * random for one lease of one job in one queue (the `job:leased` event). A job never changes
 * queue, so while that lease holds, the job is in that queue; once it is gone (acked, expired, the
 * job deleted, even re-created under the same id elsewhere), the token matches no lease and the
 * operation itself refuses it, whatever the queue it was authorized on. An id without a lease
 * (get, cancel, …) is always read: client-chosen ids can come back in another queue. The
 * memory subscribes at its first look-up, so a server without auth pays nothing.
 *
 * A call that ends its leases (ack, nack) forgets them as it is authorized: a remembered lease
 * is held only while it may still be presented, and the memory stays as small as the leases in
 * flight. It matters beyond memory: with 8 000 spent leases remembered, an auth-on server spent
 * about 8 % more CPU per single enqueue than one without auth, with 1 000 none (an A/B after a
 * lease+ack phase, docs/benchmarks.md); leases ended otherwise (expiry, the consumer stream's
 * acks) are dropped by the bound.
 *
 * Invariant: at most `maxEntries` leases are remembered; past that the oldest is forgotten first
 * (a forgotten lease costs one read again, never a wrong decision).
 */
import { JobNotFoundError } from '@docket/protocol';
import type { Engine } from '@docket/core';
import { dropOldestPast } from './bounded-map.ts';

/** A job a call names: its id, and the lease token it presents (if any). */
export interface NamedJob {
  readonly id: string;
  readonly lease: string | undefined;
}

interface Leased {
  readonly id: string;
  readonly queue: string;
}

export class JobQueues {
  readonly #engine: Pick<Engine, 'get' | 'events'>;
  readonly #maxEntries: number;
  /** By lease token. */
  readonly #leases = new Map<string, Leased>();
  #listening = false;

  constructor(engine: Pick<Engine, 'get' | 'events'>, maxEntries = 20_000) {
    this.#engine = engine;
    this.#maxEntries = maxEntries;
  }

  /**
   * The queues of the named jobs that exist (a missing job is its operation's own 404): without
   * a promise when each one presents a lease remembered here, else after reading the others.
   * `ending`: the call ends the leases it presents, so each one found is forgotten.
   */
  queuesOf(jobs: readonly NamedJob[], ending = false): readonly string[] | Promise<string[]> {
    this.#listen();
    const known: string[] = [];
    const unknown = new Set<string>();
    for (const job of jobs) {
      const leased = job.lease === undefined ? undefined : this.#leases.get(job.lease);
      if (leased !== undefined && leased.id === job.id) {
        known.push(leased.queue);
        if (ending && job.lease !== undefined) this.#leases.delete(job.lease);
      } else unknown.add(job.id);
    }
    if (unknown.size === 0) return known;
    return Promise.all([...unknown].map((id) => this.#read(id))).then((read) => [
      ...known,
      ...read.filter((queue): queue is string => queue !== null),
    ]);
  }

  async #read(id: string): Promise<string | null> {
    try {
      return (await this.#engine.get(id)).queue;
    } catch (err) {
      if (err instanceof JobNotFoundError) return null;
      throw err;
    }
  }

  #listen(): void {
    if (this.#listening) return;
    this.#listening = true;
    this.#engine.events.on('job:leased', ({ job }) => {
      this.#leases.set(job.leaseToken, { id: job.id, queue: job.queue });
      dropOldestPast(this.#leases, this.#maxEntries);
    });
  }
}
