/**
 * Queues: a hash per queue (paused, config JSON, createdAt, lifetime totals) and the name index,
 * created on first use by enqueue or explicitly by configure, pause, resume and countFailures; and
 * the admin operations over the jobs of one queue (purge, redrive, counts, delete). The totals
 * are counted by the ack and nack scripts themselves, so they change atomically with the job.
 */
import type { GroupStats, JobState, Page, QueueConfig, QueueCounts, QueueInfo } from '@docket/protocol';
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
import { optText, toFields, type Fields } from './job-fields.ts';
import { asArray, asNumber } from './replies.ts';
import { run, runTimed, type StoreContext } from './store-context.ts';

const CURSOR_KIND = 'queue';
const NAME_SHAPE = /^./s;
const COUNTED_STATES = ['delayed', 'waiting', 'active', 'completed', 'dead'] as const satisfies readonly JobState[];

function toQueue(name: string, f: Fields): QueueInfo {
  return {
    name,
    paused: f.paused === '1',
    config: JSON.parse(f.config ?? '{}') as QueueConfig,
    createdAt: Number(f.createdAt),
    totals: { completed: Number(f.completedTotal ?? 0), failed: Number(f.failedTotal ?? 0) },
  };
}

/** A reply of name, then the queue's fields. */
function queueReply(reply: unknown): QueueInfo {
  const [name, ...fields] = asArray(reply);
  return toQueue(String(name), toFields(fields));
}

export async function queueConfigure(ctx: StoreContext, p: QueueConfigureParams): Promise<QueueInfo> {
  return queueReply(await runTimed(ctx, 'queue-configure', p.now, [p.queue, JSON.stringify(p.config)]));
}

export async function queueCountFailures(ctx: StoreContext, p: QueueCountFailuresParams): Promise<QueueInfo> {
  return queueReply(await runTimed(ctx, 'queue-count-failures', p.now, [p.queue, String(p.count)]));
}

export async function queueSetPaused(ctx: StoreContext, p: QueueStateParams, paused: boolean): Promise<QueueInfo> {
  return queueReply(await runTimed(ctx, 'queue-set-paused', p.now, [p.queue, paused ? '1' : '0']));
}

export async function queueGet(ctx: StoreContext, p: QueueRefParams): Promise<QueueInfo | null> {
  const fields = await ctx.client.hgetall(ctx.keys.queue(p.queue));
  return Object.keys(fields).length === 0 ? null : toQueue(p.queue, fields);
}

export async function queueGroups(ctx: StoreContext, p: QueueGroupsParams): Promise<GroupStats[]> {
  const flat = asArray(await run(ctx, 'queue-groups', [p.queue, String(p.limit)]));
  const groups: GroupStats[] = [];
  for (let i = 0; i + 2 < flat.length; i += 3) {
    groups.push({ group: String(flat[i]), waiting: asNumber(flat[i + 1]), held: asNumber(flat[i + 2]) });
  }
  return groups;
}

export async function queueList(ctx: StoreContext, p: QueueListParams): Promise<Page<QueueInfo>> {
  const after = p.cursor === null ? null : decodeStringCursor(p.cursor, CURSOR_KIND, NAME_SHAPE);
  const rows = asArray(await run(ctx, 'queue-list', [optText(after), String(p.limit + 1)])).map(queueReply);
  const page = rows.slice(0, p.limit);
  const last = page.at(-1);
  return {
    items: page,
    cursor: rows.length > p.limit && last !== undefined ? encodeStringCursor(CURSOR_KIND, last.name) : null,
  };
}

export async function queueDelete(ctx: StoreContext, p: QueueRefParams): Promise<boolean> {
  return asNumber(await run(ctx, 'queue-delete', [p.queue])) === 1;
}

export async function queuePurge(ctx: StoreContext, p: QueuePurgeParams): Promise<number> {
  const states = p.states === null ? [] : [...new Set(p.states)];
  const reset = p.resetTotals ? '1' : '0';
  return asNumber(await run(ctx, 'queue-purge', [p.queue, reset, String(states.length), ...states]));
}

export async function queueRedrive(ctx: StoreContext, p: QueueRedriveParams): Promise<number> {
  const args = [p.queue, optText(p.reason), String(p.limit)];
  return asNumber(await runTimed(ctx, 'queue-redrive', p.now, args));
}

export async function queueStats(ctx: StoreContext, p: QueueRefParams): Promise<QueueCounts> {
  const counts = asArray(await run(ctx, 'queue-stats', [p.queue])).map(asNumber);
  return Object.fromEntries(COUNTED_STATES.map((state, i) => [state, counts[i] ?? 0])) as Record<JobState, number>;
}
