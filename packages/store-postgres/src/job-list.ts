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
import { rowToJob, type JobRow } from './row-mapping.ts';
import type { Session } from './session.ts';

/** Above every valid priority: the first waiting page starts from "lower than this". */
const PRIORITY_ABOVE_ALL = 2_147_483_647;

const WAITING_KEY = ['priority', 'runAt', 'seq'] as const;
const DELAYED_KEY = ['runAt', 'seq'] as const;
const SEQ_KEY = ['seq'] as const;

export async function jobList(s: Session, p: JobListParams): Promise<Page<Job>> {
  const rows = await listRows(s, p, p.limit + 1);
  const page = rows.slice(0, p.limit);
  const last = page.at(-1);
  const cursor = rows.length > p.limit && last !== undefined ? cursorAfter(p.state, last) : null;
  return { items: page.map(rowToJob), cursor };
}

function cursorKind(state: JobState | null): string {
  return state ?? 'all';
}

function cursorAfter(state: JobState | null, row: JobRow): string {
  if (state === 'waiting') return encodeNumberCursor('waiting', [row.priority, row.run_at, row.seq]);
  if (state === 'delayed') return encodeNumberCursor('delayed', [row.run_at, row.seq]);
  return encodeNumberCursor(cursorKind(state), [row.seq]);
}

function listRows(s: Session, p: JobListParams, limit: number): Promise<JobRow[]> {
  const { queue, state, cursor } = p;
  if (state === 'waiting') return listWaiting(s, queue, cursor, limit);
  if (state === 'delayed') {
    const key =
      cursor === null ? { runAt: Number.MIN_SAFE_INTEGER, seq: 0 } : decodeNumberCursor(cursor, 'delayed', DELAYED_KEY);
    return s.rows('job-list-delayed', { queue, ...key, limit });
  }
  const { seq } = cursor === null ? { seq: 0 } : decodeNumberCursor(cursor, cursorKind(state), SEQ_KEY);
  if (state === null) return s.rows('job-list-all', { queue, seq, limit });
  if (state === 'active') return s.rows('job-list-active', { queue, seq, limit });
  return s.rows('job-list-finished', { queue, state, seq, limit });
}

async function listWaiting(s: Session, queue: string, cursor: string | null, limit: number): Promise<JobRow[]> {
  if (cursor === null) return s.rows('job-list-waiting-lower-priority', { queue, priority: PRIORITY_ABOVE_ALL, limit });
  const key = decodeNumberCursor(cursor, 'waiting', WAITING_KEY);
  const rows = await s.rows<JobRow>('job-list-waiting-same-priority', { queue, ...key, limit });
  if (rows.length >= limit) return rows;
  const lower = await s.rows<JobRow>('job-list-waiting-lower-priority', {
    queue,
    priority: key.priority,
    limit: limit - rows.length,
  });
  return rows.concat(lower);
}
