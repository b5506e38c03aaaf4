/**
 * The scaffolding the race cases share (group-races.ts, flow-control-races.ts): consumers on two
 * stores over one backend (the same store for SQLite) go through phases at once; in each phase
 * every consumer first acks the jobs it held long enough, then leases up to its max. What a
 * phase acked and granted is what the cases' history checks (group-history.ts,
 * flow-history.ts) judge.
 */
import fc from 'fast-check';
import type { LeasedJob } from '@docket/protocol';
import type { Store } from '@docket/core';
import { freshTokens } from './new-jobs.ts';

/** A consumer: its lease max and how many phases it holds a job before acking it. */
export interface RaceConsumer {
  readonly max: number;
  readonly hold: number;
}

/** Two to five consumers, each leasing 1 to `maxLease` at once and holding for 0 to 2 phases. */
export function raceConsumers(maxLease: number): fc.Arbitrary<RaceConsumer[]> {
  return fc.array(fc.record({ max: fc.integer({ min: 1, max: maxLease }), hold: fc.integer({ min: 0, max: 2 }) }), {
    minLength: 2,
    maxLength: 5,
  });
}

interface Held {
  readonly job: LeasedJob;
  readonly until: number;
}

/** What one phase did: the ids acked at its start (in the order acked) and the ids it leased. */
export interface RacePhase {
  readonly acked: string[];
  readonly granted: string[];
}

/** Consumer i uses `servers[i % servers.length]`; `holding` carries what they hold across phases. */
export class RaceConsumers {
  readonly #servers: readonly Store[];
  readonly #queue: string;
  readonly #consumers: readonly RaceConsumer[];
  #holding: Held[][];

  constructor(servers: readonly Store[], queue: string, consumers: readonly RaceConsumer[]) {
    this.#servers = servers;
    this.#queue = queue;
    this.#consumers = consumers;
    this.#holding = consumers.map(() => []);
  }

  /** Jobs held by all consumers now. */
  get held(): number {
    return this.#holding.reduce((n, h) => n + h.length, 0);
  }

  /** What all consumers ask for in a phase. */
  get demand(): number {
    return this.#consumers.reduce((n, c) => n + c.max, 0);
  }

  /** Phase `phase` at `now`: every consumer at once acks what is due, then leases. */
  async phase(phase: number, now: number): Promise<RacePhase> {
    const acked: string[] = [];
    const granted: string[] = [];
    await Promise.all(
      this.#consumers.map(async ({ max, hold }, i) => {
        const store = this.#servers[i % this.#servers.length] as Store;
        const mine = this.#holding[i] as Held[];
        const due = mine.filter((h) => h.until <= phase);
        this.#holding[i] = mine.filter((h) => h.until > phase);
        for (const { job } of due) {
          acked.push(job.id);
          await store.jobAck({ id: job.id, token: job.leaseToken, now, result: null });
        }
        const leased = await store.jobLease({
          queues: [this.#queue],
          max,
          now,
          leaseMs: null,
          worker: null,
          tokens: freshTokens(max),
        });
        for (const job of leased) {
          granted.push(job.id);
          this.#holding[i]?.push({ job, until: phase + 1 + hold });
        }
      }),
    );
    return { acked, granted };
  }
}

/**
 * Waits `ms` when the servers are two stores (not one store twice): what docs/state-machine.md
 * allows a store to take to apply a queue config set through another server, which no call
 * shows; the properties are about what follows.
 */
export async function afterPropagation(servers: readonly Store[], ms: number): Promise<void> {
  if (servers.length > 1 && servers[0] !== servers[1]) await new Promise((resolve) => setTimeout(resolve, ms));
}
