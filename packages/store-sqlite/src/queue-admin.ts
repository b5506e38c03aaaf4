/**
 * Queues: rows in the queues table (name, paused flag, config JSON, lifetime totals), created on
 * first use by enqueue or explicitly by configure, pause, resume and countFailures; and the admin
 * operations over the jobs of one queue (purge, redrive, counts). Purge and delete walk the
 * queue's jobs in the table (there is no plain queue index, to keep enqueue cheap); counts read
 * the partial indexes. A queue read inside a batch carries the totals its acks and nacks added so
 * far (queue-totals.ts).
 */
import {
  hasGroupSettings,
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
import { rowToQueue, type QueueRow } from './row-mapping.ts';
import type { StoreContext } from './store-context.ts';

const CURSOR_KIND = 'queue';

function toQueue(ctx: StoreContext, row: QueueRow): QueueInfo {
  return ctx.totals.overlay(rowToQueue(row));
}

export function queueConfigure(ctx: StoreContext, p: QueueConfigureParams): QueueInfo {
  if (hasGroupSettings(p.config)) {
    const before = ctx.q.queueGet.get({ name: p.queue }) as QueueRow | undefined;
    if (before === undefined || !hasGroupSettings(JSON.parse(before.config) as QueueConfig)) {
      ctx.q.jobGroupAdopt.run({ queue: p.queue });
    }
  }
  const row = ctx.q.queueConfigure.get({ name: p.queue, config: JSON.stringify(p.config), now: p.now }) as QueueRow;
  ctx.q.queueBacklogBytesTrack.run({ queue: p.queue, tracked: p.config.maxBytes === undefined ? 0 : 1 });
  return toQueue(ctx, row);
}

export function queueCountFailures(ctx: StoreContext, p: QueueCountFailuresParams): QueueInfo {
  const row = ctx.q.queueCountFailures.get({ name: p.queue, count: p.count, now: p.now }) as QueueRow;
  return toQueue(ctx, row);
}

export function queueSetPaused(ctx: StoreContext, p: QueueStateParams, paused: boolean): QueueInfo {
  const row = ctx.q.queueSetPaused.get({ name: p.queue, paused: paused ? 1 : 0, now: p.now }) as QueueRow;
  return toQueue(ctx, row);
}

export function queueGet(ctx: StoreContext, p: QueueRefParams): QueueInfo | null {
  const row = ctx.q.queueGet.get({ name: p.queue }) as QueueRow | undefined;
  return row === undefined ? null : toQueue(ctx, row);
}

export function queueGroups(ctx: StoreContext, p: QueueGroupsParams): GroupStats[] {
  const rows = ctx.q.queueGroups.all({ queue: p.queue, limit: p.limit }) as GroupRow[];
  return rows.map((row) => ({ group: row.group_key, waiting: row.waiting, held: row.held }));
}

interface GroupRow {
  readonly group_key: string;
  readonly waiting: number;
  readonly held: number;
}

export function queueList(ctx: StoreContext, p: QueueListParams): Page<QueueInfo> {
  const after = p.cursor === null ? '' : decodeStringCursor(p.cursor, CURSOR_KIND);
  const rows = ctx.q.queueList.all({ after, limit: p.limit + 1 }) as QueueRow[];
  const page = rows.slice(0, p.limit);
  const last = page.at(-1);
  const more = rows.length > p.limit && last !== undefined;
  return {
    items: page.map((row) => toQueue(ctx, row)),
    cursor: more ? encodeStringCursor(CURSOR_KIND, last.name) : null,
  };
}

export function queueDelete(ctx: StoreContext, p: QueueRefParams): boolean {
  ctx.q.queuePurge.run({ queue: p.queue, states: null });
  const deleted = ctx.q.queueDelete.run({ name: p.queue }).changes > 0;
  ctx.q.queueWindowDelete.run({ queue: p.queue });
  ctx.q.jobGroupsDelete.run({ queue: p.queue });
  ctx.totals.forget(p.queue);
  return deleted;
}

export function queuePurge(ctx: StoreContext, p: QueuePurgeParams): number {
  const states = p.states === null ? null : JSON.stringify(p.states);
  const purged = ctx.q.queuePurge.run({ queue: p.queue, states }).changes;
  if (p.resetTotals) {
    ctx.q.queueResetTotals.run({ name: p.queue });
    ctx.totals.forget(p.queue);
  }
  return purged;
}

export function queueRedrive(ctx: StoreContext, p: QueueRedriveParams): number {
  return ctx.q.queueRedrive.run({ queue: p.queue, reason: p.reason, now: p.now, limit: p.limit }).changes;
}

export function queueStats(ctx: StoreContext, p: QueueRefParams): QueueCounts {
  return ctx.q.queueCounts.get({ queue: p.queue }) as QueueCounts;
}
