/**
 * The worker registry: workers appear when they declare themselves (workerSeen) or lease with a
 * worker id (job-lease.sql), and count the jobs they completed (job-complete.sql) and the attempts
 * that failed (jobNack) through tally rows that their next lease or workerSeen folds in (see
 * worker_tallies in 0001_init.sql). `active` is not stored: it is the number of active jobs
 * leased by the worker, counted when listed, so it can never drift from the jobs themselves.
 */
import type { Page, WorkerInfo } from '@docket/protocol';
import type { WorkerListParams, WorkerSeenParams } from '@docket/core';
import { decodeStringCursor, encodeStringCursor } from '@docket/core/store-support';
import { rowToWorker, type WorkerRow } from './row-mapping.ts';
import type { Session } from './session.ts';

const CURSOR_KIND = 'worker';

export async function workerSeen(s: Session, p: WorkerSeenParams): Promise<void> {
  await s.count('worker-upsert', p);
}

export async function workerList(s: Session, p: WorkerListParams): Promise<Page<WorkerInfo>> {
  const after = p.cursor === null ? '' : decodeStringCursor(p.cursor, CURSOR_KIND);
  const rows = await s.rows<WorkerRow>('worker-list', { after, limit: p.limit + 1 });
  const page = rows.slice(0, p.limit);
  const counts = await s.rows<{ worker: string; active: number }>('worker-active-counts', {
    ids: page.map((r) => r.id),
  });
  const active = new Map(counts.map((c) => [c.worker, c.active]));
  const last = page.at(-1);
  return {
    items: page.map((row) => rowToWorker(row, active.get(row.id) ?? 0)),
    cursor: rows.length > p.limit && last !== undefined ? encodeStringCursor(CURSOR_KIND, last.id) : null,
  };
}
