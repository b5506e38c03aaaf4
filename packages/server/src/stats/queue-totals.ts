/**
 * Counts by state summed over every queue, for `GET /v1/stats`. The engine has no whole-store
 * count, so this pages through the queues (1 000 at a time), sampling each queue's waiting depth
 * into the DepthHistory on the way. Invariant: at most one walk runs at
 * a time and its answer is reused for `maxAgeMs`, so any number of open dashboards polling cost
 * the store one walk per second at most.
 */
import type { Engine } from '@docket/core';
import { JOB_STATES, limits, type QueueCounts } from '@docket/protocol';
import type { DepthHistory } from './depth-history.ts';

export interface StoreTotals {
  readonly queues: number;
  readonly counts: QueueCounts;
}

export class QueueTotals {
  readonly #engine: Engine;
  readonly #maxAgeMs: number;
  readonly #depth: DepthHistory;
  #cached: { readonly at: number; readonly totals: Promise<StoreTotals> } | null = null;

  constructor(engine: Engine, depth: DepthHistory, maxAgeMs = 1000) {
    this.#engine = engine;
    this.#depth = depth;
    this.#maxAgeMs = maxAgeMs;
  }

  get(now = Date.now()): Promise<StoreTotals> {
    if (this.#cached !== null && now - this.#cached.at < this.#maxAgeMs) return this.#cached.totals;
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
    return { queues, counts };
  }
}
