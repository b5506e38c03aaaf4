/**
 * The worker registry: workers appear when they declare themselves (workerSeen) or lease with a
 * worker id, and count the jobs they completed and the attempts that failed (worker-counters.ts).
 * `active` is not stored: it is the number of active jobs leased by the worker, counted when
 * listed, so it can never drift from the jobs themselves.
 */
import type { Page, WorkerInfo } from '@docket/protocol';
import type { WorkerListParams, WorkerSeenParams } from '@docket/core';
import { decodeStringCursor, encodeStringCursor } from '@docket/core/store-support';
import type { WorkerRow } from './row-mapping.ts';
import type { StoreContext } from './store-context.ts';

const CURSOR_KIND = 'worker';

export function workerSeen(ctx: StoreContext, p: WorkerSeenParams): void {
  ctx.q.workerUpsert.run({ id: p.id, queues: JSON.stringify(p.queues), now: p.now });
}

/** A lease by `id` from `queues`: the worker is seen now and consumes these queues too. */
export function recordLease(ctx: StoreContext, id: string, queues: readonly string[], now: number): void {
  const row = ctx.q.workerGet.get({ id }) as WorkerRow | undefined;
  const known = row === undefined ? [] : (JSON.parse(row.queues) as string[]);
  const merged = [...new Set([...known, ...queues])];
  ctx.q.workerUpsert.run({ id, queues: JSON.stringify(merged), now });
}

export function workerList(ctx: StoreContext, p: WorkerListParams): Page<WorkerInfo> {
  const after = p.cursor === null ? '' : decodeStringCursor(p.cursor, CURSOR_KIND);
  const rows = ctx.q.workerList.all({ after, limit: p.limit + 1 }) as WorkerRow[];
  const page = rows.slice(0, p.limit);
  const counts = ctx.q.workerActiveCounts.all({ ids: JSON.stringify(page.map((r) => r.id)) }) as {
    worker: string;
    active: number;
  }[];
  const active = new Map(counts.map((c) => [c.worker, c.active]));
  const items = page.map((row): WorkerInfo => ({
    id: row.id,
    queues: JSON.parse(row.queues) as string[],
    startedAt: row.started_at,
    lastSeenAt: row.last_seen_at,
    processed: row.processed,
    failed: row.failed,
    active: active.get(row.id) ?? 0,
  }));
  const last = page.at(-1);
  return {
    items,
    cursor: rows.length > p.limit && last !== undefined ? encodeStringCursor(CURSOR_KIND, last.id) : null,
  };
}
