/**
 * Per-batch queue totals. Acks add to their queue's `completed` total and failed attempts to its
 * `failed` total here, in memory; the commit batcher writes the sums just before COMMIT (one
 * UPDATE per queue per batch, instead of one per ack: acks are the hot path) and drops them when
 * a batch rolls back. See worker-counters.ts for the same scheme over worker counts.
 *
 * Invariants: an op adds to (or forgets) a queue's sums as its last step, after every write, so
 * an op that is refused or rolled back never counts; a queue row read inside a batch is shown
 * with its sums added (`overlay`), so it reads as if they were written already; a queue whose
 * totals were reset or whose row was deleted has no sums from before that; between batches the
 * sums are empty.
 */
import type { Statement } from 'better-sqlite3';
import type { QueueInfo, QueueTotals } from '@docket/protocol';

type Sums = { -readonly [F in keyof QueueTotals]: number };

export class QueueTotalsBatch {
  readonly #sums = new Map<string, Sums>();

  add(queue: string, field: keyof QueueTotals): void {
    let sums = this.#sums.get(queue);
    if (sums === undefined) {
      sums = { completed: 0, failed: 0 };
      this.#sums.set(queue, sums);
    }
    sums[field] += 1;
  }

  /** The queue's totals were reset or its row deleted: what this batch added before goes too. */
  forget(queue: string): void {
    this.#sums.delete(queue);
  }

  /** `info` with this batch's sums of its queue added. */
  overlay(info: QueueInfo): QueueInfo {
    const sums = this.#sums.get(info.name);
    if (sums === undefined) return info;
    return {
      ...info,
      totals: { completed: info.totals.completed + sums.completed, failed: info.totals.failed + sums.failed },
    };
  }

  /** Writes the sums with queue-add-totals.sql and clears them. */
  flush(addTotals: Statement): void {
    for (const [name, { completed, failed }] of this.#sums) addTotals.run({ name, completed, failed });
    this.#sums.clear();
  }

  discard(): void {
    this.#sums.clear();
  }
}
