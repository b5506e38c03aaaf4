/**
 * Browsing the jobs of a queue, one page at a time, in the order each state is consumed:
 * waiting in lease order (priority desc, run_at, seq), delayed by (run_at, seq), every other
 * state and the all-states list by seq. Each page reads `limit + 1` rows so the last page says
 * so (cursor null) instead of leaving an empty page to fetch. Waiting pages continue the
 * cursor's priority first, then move to lower priorities: two range reads on jobs_waiting, since
 * a mixed-direction key cannot be one row-value comparison.
 */
import type { Job, JobState, Page } from '@docket/protocol';
import type { JobListParams } from '@docket/core';
import { decodeNumberCursor, encodeNumberCursor } from '@docket/core/store-support';
import { C, rowToJob, type JobRow } from './row-mapping.ts';
import type { StoreContext } from './store-context.ts';

/** Above every valid priority: the first waiting page starts from "lower than this". */
const PRIORITY_ABOVE_ALL = Number.MAX_SAFE_INTEGER;

const WAITING_KEY = ['priority', 'runAt', 'seq'] as const;
const DELAYED_KEY = ['runAt', 'seq'] as const;
const SEQ_KEY = ['seq'] as const;

export function jobList(ctx: StoreContext, p: JobListParams): Page<Job> {
  const fetch = p.limit + 1;
  const rows = listRows(ctx, p, fetch);
  const page = rows.slice(0, p.limit);
  const last = page.at(-1);
  const cursor = rows.length > p.limit && last !== undefined ? cursorAfter(p.state, last) : null;
  return { items: page.map(rowToJob), cursor };
}

function cursorKind(state: JobState | null): string {
  return state ?? 'all';
}

function cursorAfter(state: JobState | null, row: JobRow): string {
  const key = (...columns: number[]): number[] => columns.map((column) => row[column] as number);
  if (state === 'waiting') return encodeNumberCursor('waiting', key(C.priority, C.run_at, C.seq));
  if (state === 'delayed') return encodeNumberCursor('delayed', key(C.run_at, C.seq));
  return encodeNumberCursor(cursorKind(state), key(C.seq));
}

function listRows(ctx: StoreContext, p: JobListParams, limit: number): JobRow[] {
  const { queue, state, cursor } = p;
  if (state === 'waiting') return listWaiting(ctx, queue, cursor, limit);
  if (state === 'delayed') {
    const key =
      cursor === null ? { runAt: Number.MIN_SAFE_INTEGER, seq: 0 } : decodeNumberCursor(cursor, 'delayed', DELAYED_KEY);
    return ctx.q.jobListDelayed.all({ queue, ...key, limit }) as JobRow[];
  }
  const { seq } = cursor === null ? { seq: 0 } : decodeNumberCursor(cursor, cursorKind(state), SEQ_KEY);
  if (state === null) return ctx.q.jobListAll.all({ queue, seq, limit }) as JobRow[];
  if (state === 'active') return ctx.q.jobListActive.all({ queue, seq, limit }) as JobRow[];
  return ctx.q.jobListFinished.all({ queue, state, seq, limit }) as JobRow[];
}

function listWaiting(ctx: StoreContext, queue: string, cursor: string | null, limit: number): JobRow[] {
  if (cursor === null) {
    return ctx.q.jobListWaitingLowerPriority.all({ queue, priority: PRIORITY_ABOVE_ALL, limit }) as JobRow[];
  }
  const key = decodeNumberCursor(cursor, 'waiting', WAITING_KEY);
  const rows = ctx.q.jobListWaitingSamePriority.all({ queue, ...key, limit }) as JobRow[];
  if (rows.length >= limit) return rows;
  const lower = ctx.q.jobListWaitingLowerPriority.all({
    queue,
    priority: key.priority,
    limit: limit - rows.length,
  }) as JobRow[];
  return rows.concat(lower);
}
