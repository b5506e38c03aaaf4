/**
 * Queues: rows in the queues table (name, paused flag, config JSON, lifetime totals), created on
 * first use by enqueue or explicitly by configure, pause, resume and countFailures; and the admin
 * operations over the jobs of one queue (purge, redrive, counts). Acks and failed attempts count
 * in a queue's totals through tally rows (queue_tallies in 0002_queue_totals.sql) that every read
 * adds and the retention cleaner folds in (job-maintenance.ts).
 */
import {
  hasGroupSettings,
  InternalError,
  type GroupStats,
  type Page,
  type QueueConfig,
  type QueueCounts,
  type QueueInfo,
} from '@docket/protocol';
import type {
  QueueConfigureParams,
  QueueCountFailuresParams,
  QueueGroupsParams,
  QueueListParams,
  QueuePurgeParams,
  QueueRedriveParams,
  QueueRefParams,
  QueueStateParams,
} from '@docket/core';
import { decodeStringCursor, encodeStringCursor } from '@docket/core/store-support';
import { lockQueues } from './queue-flow.ts';
import { rowToQueue, type QueueRow } from './row-mapping.ts';
import type { Session } from './session.ts';

const CURSOR_KIND = 'queue';

/**
 * The queue as an upsert just left it, read by a statement of its own (the caller runs both in
 * one transaction). Reading the totals in the upsert's own statement could count a fold of the
 * tallies twice: the upsert waits for the fold's row lock and then sees the folded totals, while
 * the statement's snapshot still holds the tallies the fold deleted.
 */
async function upserted(s: Session, upsert: Promise<number>, queue: string): Promise<QueueInfo> {
  await upsert;
  const info = await queueGet(s, { queue });
  if (info === null) throw new InternalError(`queue ${queue} is missing right after its upsert`);
  return info;
}

/**
 * Runs in a transaction (see upserted), under the queue's row lock. A queue that gets group
 * settings: its jobs without a group join the ungrouped lane. A queue that gets `maxBytes`
 * starts its byte total (migration 0009) holding the jobs table in SHARE ROW EXCLUSIVE mode, so
 * no job write that could miss the total is in flight. That lock is taken before the queue's row
 * lock, and every other path takes the table's ROW EXCLUSIVE lock before a queue row lock
 * (queue-lock-flow.sql), so the two cannot deadlock; only a configure that finds, under the row
 * lock, that another one dropped `maxBytes` meanwhile takes it late.
 */
export async function queueConfigure(s: Session, p: QueueConfigureParams): Promise<QueueInfo> {
  const tracked = p.config.maxBytes !== undefined;
  let tableHeld = false;
  const holdTable = async (): Promise<void> => {
    if (!tableHeld) await s.count('job-lock-for-bytes', {});
    tableHeld = true;
  };
  if (tracked && !(await hasMaxBytes(s, p.queue))) await holdTable();
  const [row] = await lockQueues(s, [p.queue]);
  const before = row === undefined ? null : (JSON.parse(row.config) as QueueConfig);
  if (hasGroupSettings(p.config) && (before === null || !hasGroupSettings(before))) {
    await s.count('job-group-adopt', { queue: p.queue });
  }
  const config = JSON.stringify(p.config);
  await s.count('queue-configure', { name: p.queue, config, now: p.now });
  if (tracked !== (before?.maxBytes !== undefined)) {
    if (tracked) {
      await holdTable();
      await s.count('job-bytes-count', { queue: p.queue });
    }
    await s.count('queue-backlog-bytes-track', { queue: p.queue, tracked });
  }
  return upserted(s, Promise.resolve(1), p.queue);
}

async function hasMaxBytes(s: Session, queue: string): Promise<boolean> {
  const [row] = await s.rows<QueueRow>('queue-get', { name: queue });
  return row !== undefined && (JSON.parse(row.config) as QueueConfig).maxBytes !== undefined;
}

/** Runs in a transaction (see upserted). */
export function queueCountFailures(s: Session, p: QueueCountFailuresParams): Promise<QueueInfo> {
  return upserted(s, s.count('queue-count-failures', { name: p.queue, count: p.count, now: p.now }), p.queue);
}

/** Runs in a transaction (see upserted). */
export function queueSetPaused(s: Session, p: QueueStateParams, paused: boolean): Promise<QueueInfo> {
  return upserted(s, s.count('queue-set-paused', { name: p.queue, paused, now: p.now }), p.queue);
}

export async function queueGet(s: Session, p: QueueRefParams): Promise<QueueInfo | null> {
  const [row] = await s.rows<QueueRow>('queue-get', { name: p.queue });
  return row === undefined ? null : rowToQueue(row);
}

export async function queueList(s: Session, p: QueueListParams): Promise<Page<QueueInfo>> {
  const after = p.cursor === null ? '' : decodeStringCursor(p.cursor, CURSOR_KIND);
  const rows = await s.rows<QueueRow>('queue-list', { after, limit: p.limit + 1 });
  const page = rows.slice(0, p.limit);
  const last = page.at(-1);
  const more = rows.length > p.limit && last !== undefined;
  return { items: page.map(rowToQueue), cursor: more ? encodeStringCursor(CURSOR_KIND, last.name) : null };
}

async function purge(s: Session, p: QueuePurgeParams): Promise<number> {
  const [row] = await s.rows<{ purged: number }>('queue-purge', {
    queue: p.queue,
    states: p.states,
    reset: p.resetTotals,
  });
  return row?.purged ?? 0;
}

/** Runs in a transaction: the jobs, the tallies and the queue row go together. */
export async function queueDelete(s: Session, p: QueueRefParams): Promise<boolean> {
  await purge(s, { queue: p.queue, states: null, resetTotals: true });
  await s.count('job-groups-delete', { queue: p.queue });
  return (await s.count('queue-delete', { name: p.queue })) > 0;
}

export async function queueGroups(s: Session, p: QueueGroupsParams): Promise<GroupStats[]> {
  const rows = await s.rows<{ group_key: string; waiting: number; held: number }>('queue-groups', {
    queue: p.queue,
    limit: p.limit,
  });
  return rows.map((row) => ({ group: row.group_key, waiting: row.waiting, held: row.held }));
}

export function queuePurge(s: Session, p: QueuePurgeParams): Promise<number> {
  return purge(s, p);
}

export function queueRedrive(s: Session, p: QueueRedriveParams): Promise<number> {
  return s.count('queue-redrive', p);
}

export async function queueStats(s: Session, p: QueueRefParams): Promise<QueueCounts> {
  const [row] = await s.rows<QueueCounts>('queue-counts', p);
  return row ?? { waiting: 0, delayed: 0, active: 0, completed: 0, dead: 0 };
}
