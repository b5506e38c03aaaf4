/**
 * The batch settle of a store whose backend runs each item as its own atomic call (a Redis
 * script, a PostgreSQL transaction): every item is sent at once, so they travel together (one
 * pipeline, the pool's connections in parallel), and each refusal stays with its item.
 */
import type { Job } from '@docket/protocol';
import type { SettleOutcome } from '../store.ts';

export function settleEach<I>(items: readonly I[], settle: (item: I) => Promise<Job>): Promise<SettleOutcome[]> {
  return Promise.all(
    items.map((item) =>
      settle(item).then(
        (job): SettleOutcome => ({ ok: true, job }),
        (err: unknown): SettleOutcome => ({ ok: false, error: err instanceof Error ? err : new Error(String(err)) }),
      ),
    ),
  );
}
