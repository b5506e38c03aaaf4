/**
 * Counts by state summed over every queue, for `GET /v1/stats`. The engine has no whole-store
 * count, so this pages through the queues (1 000 at a time), sampling each queue's waiting depth
 * into the DepthHistory on the way. Invariants: at most one walk runs at a time, and its answer
 * is reused for `maxAgeMs` or for WALK_BUDGET_FACTOR times as long as the walk took, whichever is
 * longer. So any number of open dashboards cost the store one walk a second at most, and never
 * more than 0.5 % of the time however large the counts grow (a count reads a state's index, so a
 * walk takes longer as the backlog grows: then the totals refresh less often instead).
 */
import type { Engine } from '@docket/core';
import { JOB_STATES, limits, type QueueCounts } from '@docket/protocol';
import type { DepthHistory } from './depth-history.ts';

/** A walk that took `d` ms is reused for at least `d × WALK_BUDGET_FACTOR` ms: a 0.5 % duty cycle. */
export const WALK_BUDGET_FACTOR = 200;

export interface StoreTotals {
  readonly queues: number;
  readonly counts: QueueCounts;
}

export class QueueTotals {
  readonly #engine: Engine;
  readonly #maxAgeMs: number;
  readonly #depth: DepthHistory;
  #cached: { readonly at: number; readonly totals: Promise<StoreTotals> } | null = null;
  #lastWalkMs = 0;

  readonly #elapsed: () => number;

  /** `elapsed`: a monotonic clock in ms, to time each walk. */
  constructor(engine: Engine, depth: DepthHistory, maxAgeMs = 1000, elapsed: () => number = () => performance.now()) {
    this.#engine = engine;
    this.#depth = depth;
    this.#maxAgeMs = maxAgeMs;
    this.#elapsed = elapsed;
  }

  get(now = Date.now()): Promise<StoreTotals> {
    const maxAgeMs = Math.max(this.#maxAgeMs, this.#lastWalkMs * WALK_BUDGET_FACTOR);
    if (this.#cached !== null && now - this.#cached.at < maxAgeMs) return this.#cached.totals;
    const totals = this.#walk();
    this.#cached = { at: now, totals };
    totals.catch(() => {
      if (this.#cached?.totals === totals) this.#cached = null;
    });
    return totals;
  }

  async #walk(): Promise<StoreTotals> {
    const counts = Object.fromEntries(JOB_STATES.map((state) => [state, 0])) as Record<keyof QueueCounts, number>;
    let queues = 0;
    let cursor: string | undefined;
    const now = Date.now();
    const started = this.#elapsed();
    do {
      const page = await this.#engine.listQueues({ limit: limits.MAX_LIST_LIMIT, ...(cursor ? { cursor } : {}) });
      for (const queue of page.items) {
        queues += 1;
        this.#depth.record(queue.name, queue.counts.waiting, now);
        for (const state of JOB_STATES) counts[state] += queue.counts[state];
      }
      cursor = page.cursor ?? undefined;
    } while (cursor !== undefined);
    this.#depth.sweep(now);
    this.#lastWalkMs = this.#elapsed() - started;
    return { queues, counts };
  }
}
