/**
 * The worker registry: workers appear when they declare themselves (workerSeen) or lease with a
 * worker id (job-lease.lua), and count the jobs they completed and the attempts that failed (ack
 * and nack scripts). `active` is the size of the worker's active-job set, which the job indexes
 * keep, so it never drifts from the jobs themselves.
 */
import type { Page, WorkerInfo } from '@docket/protocol';
import type { WorkerListParams, WorkerSeenParams } from '@docket/core';
import { decodeStringCursor, encodeStringCursor } from '@docket/core/store-support';
import { optText, toFields } from './job-fields.ts';
import { asArray, asNumber } from './replies.ts';
import { run, runTimed, type StoreContext } from './store-context.ts';

const CURSOR_KIND = 'worker';
const ID_SHAPE = /^./s;

export async function workerSeen(ctx: StoreContext, p: WorkerSeenParams): Promise<void> {
  await runTimed(ctx, 'worker-seen', p.now, [p.id, JSON.stringify(p.queues)]);
}

function toWorker(row: unknown): WorkerInfo {
  const [id, active, fields] = asArray(row);
  const f = toFields(fields);
  return {
    id: String(id),
    queues: JSON.parse(f.queues ?? '[]') as string[],
    startedAt: Number(f.startedAt),
    lastSeenAt: Number(f.lastSeenAt),
    processed: Number(f.processed),
    failed: Number(f.failed),
    active: asNumber(active),
  };
}

export async function workerList(ctx: StoreContext, p: WorkerListParams): Promise<Page<WorkerInfo>> {
  const after = p.cursor === null ? null : decodeStringCursor(p.cursor, CURSOR_KIND, ID_SHAPE);
  const rows = asArray(await run(ctx, 'worker-list', [optText(after), String(p.limit + 1)])).map(toWorker);
  const page = rows.slice(0, p.limit);
  const last = page.at(-1);
  return {
    items: page,
    cursor: rows.length > p.limit && last !== undefined ? encodeStringCursor(CURSOR_KIND, last.id) : null,
  };
}
