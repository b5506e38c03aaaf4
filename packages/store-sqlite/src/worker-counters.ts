/**
 * Per-batch worker counters. Acks add to the worker's `processed` count and failed attempts to
 * its `failed` count here, in memory; the commit batcher writes the sums just before COMMIT (one
 * UPDATE per worker per batch, instead of one per ack) and drops them when a batch rolls back.
 *
 * Invariant: an op adds to the counters as its last step, after every write, so an op that is
 * refused or rolled back never counts; between batches the counters are empty.
 */
import type { Statement } from 'better-sqlite3';

interface Counts {
  processed: number;
  failed: number;
}

export class WorkerCounters {
  readonly #counts = new Map<string, Counts>();

  add(worker: string | null, field: keyof Counts): void {
    if (worker === null) return;
    let counts = this.#counts.get(worker);
    if (counts === undefined) {
      counts = { processed: 0, failed: 0 };
      this.#counts.set(worker, counts);
    }
    counts[field] += 1;
  }

  /** Writes the sums with worker-add-counts.sql and clears them. */
  flush(addCounts: Statement): void {
    for (const [id, { processed, failed }] of this.#counts) addCounts.run({ id, processed, failed });
    this.#counts.clear();
  }

  discard(): void {
    this.#counts.clear();
  }
}
