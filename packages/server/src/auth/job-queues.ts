/**
 * The queue of the jobs a call names by id, for authorizing it: read from the engine, except for
 * a call that presents a lease this server handed out (ack, nack, extend, alone or in a batch),
 * whose queue is remembered from the lease. With grants on queue patterns every ack would
 * otherwise cost one store read before its own write.
 *
 * Why a remembered queue is exact: it is kept with the lease token, which the engine mints at
 * random for one lease of one job in one queue (the `job:leased` event). A job never changes
 * queue, so while that lease holds, the job is in that queue; once it is gone (acked, expired, the
 * job deleted, even re-created under the same id elsewhere), the token matches no lease and the
 * operation itself refuses it, whatever the queue it was authorized on. An id without a lease
 * (get, cancel, …) is always read: client-chosen ids can come back in another queue. The
 * memory subscribes at its first look-up, so a server without auth pays nothing.
 *
 * A lease is forgotten when this server's engine says it ended: the job completed, was nacked,
 * retries, died (expiry included), was reaped or deleted, whichever way the lease ended (an HTTP
 * ack, the consumer stream, a door, the reaper). So the memory holds the leases in flight. It
 * matters beyond memory: with 8 000 spent leases remembered, an auth-on server spent about 8 %
 * more CPU per single enqueue than one without auth, with 1 000 none (an A/B after a lease+ack
 * phase, docs/benchmarks.md). Leases that end on another server over a shared store are dropped
 * by the bound.
 *
 * Invariant: at most `maxEntries` leases are remembered, one per job (its latest); past that the
 * oldest is forgotten first. A forgotten lease costs one read again, never a wrong decision.
 */
import { JobNotFoundError } from '@docket/protocol';
import { LEFT_ACTIVE_EVENTS, type Engine } from '@docket/core';
import { dropOldestPast } from './bounded-map.ts';

/** A job a call names: its id, and the lease token it presents (if any). */
export interface NamedJob {
  readonly id: string;
  readonly lease: string | undefined;
}

interface Lease {
  readonly token: string;
  readonly queue: string;
}

export class JobQueues {
  readonly #engine: Pick<Engine, 'get' | 'events'>;
  readonly #maxEntries: number;
  /** By job id: the job's latest lease seen here. */
  readonly #leases = new Map<string, Lease>();
  #listening = false;

  constructor(engine: Pick<Engine, 'get' | 'events'>, maxEntries = 20_000) {
    this.#engine = engine;
    this.#maxEntries = maxEntries;
  }

  /**
   * The queues of the named jobs that exist (a missing job is its operation's own 404): without
   * a promise when each one presents a lease remembered here, else after reading the others.
   */
  queuesOf(jobs: readonly NamedJob[]): readonly string[] | Promise<string[]> {
    this.#listen();
    const known: string[] = [];
    const unknown = new Set<string>();
    for (const job of jobs) {
      const lease = job.lease === undefined ? undefined : this.#leases.get(job.id);
      if (lease !== undefined && lease.token === job.lease) known.push(lease.queue);
      else unknown.add(job.id);
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
    const events = this.#engine.events;
    events.on('job:leased', ({ job }) => {
      // Deleted first, so a job leased again moves to the newest end of the bound's order.
      this.#leases.delete(job.id);
      this.#leases.set(job.id, { token: job.leaseToken, queue: job.queue });
      dropOldestPast(this.#leases, this.#maxEntries);
    });
    const forget = ({ job }: { readonly job: { readonly id: string } }): void => {
      this.#leases.delete(job.id);
    };
    for (const name of LEFT_ACTIVE_EVENTS) events.on(name, forget);
    events.on('job:deleted', ({ id }) => this.#leases.delete(id));
  }
}
