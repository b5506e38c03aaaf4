/**
 * The batch forms of ack and nack: one group-commit op for many items, each with the outcome its
 * single form (job-settle.ts) would have at the batch's `now`, in order. A refusal is caught as
 * that item's outcome (see refusalOf); anything else fails the op, and with it the whole batch.
 *
 * Acks take a fast path first: the items whose lease this store still remembers (lease-cache.ts),
 * each job's first item only, are completed by one statement (job-complete-many.sql); every other
 * item, and every item that statement did not complete, then goes through the single ack in
 * order, which reads the row and refuses as it should. The outcomes equal those of acking the
 * items one by one: only a completing ack changes a job, only the current token can complete it,
 * and a job's later items are refused the same whether the completion came first or in order.
 */
import type { Job, LeasedJob } from '@docket/protocol';
import type { JobAckItem, JobAckManyParams, JobNackManyParams, SettleOutcome } from '@docket/core';
import { refusalOf } from './commit-batcher.ts';
import { completed, jobAck, jobNack } from './job-settle.ts';
import type { StoreContext } from './store-context.ts';

interface CachedAck {
  readonly index: number;
  readonly item: JobAckItem;
  readonly job: LeasedJob;
}

export function jobAckMany(ctx: StoreContext, p: JobAckManyParams): SettleOutcome[] {
  const outcomes = completeCached(ctx, p);
  return p.acks.map((item, i) => outcomes.get(i) ?? settle(() => jobAck(ctx, { ...item, now: p.now })));
}

export function jobNackMany(ctx: StoreContext, p: JobNackManyParams): SettleOutcome[] {
  return p.nacks.map((item) => settle(() => jobNack(ctx, { ...item, now: p.now })));
}

/** Completes the cached items with one statement; the outcomes of those it completed, by index. */
function completeCached(ctx: StoreContext, p: JobAckManyParams): Map<number, SettleOutcome> {
  const outcomes = new Map<number, SettleOutcome>();
  const cached = cachedAcks(ctx, p.acks);
  if (cached.length === 0) return outcomes;
  const acks = JSON.stringify(
    cached.map(({ item, job }) => [job.seq, item.token, item.result === null ? null : JSON.stringify(item.result)]),
  );
  const rows = ctx.q.jobCompleteMany.all({ acks, now: p.now }) as { seq: number }[];
  const done = new Set(rows.map((row) => row.seq));
  for (const { index, item, job } of cached) {
    if (!done.has(job.seq)) continue;
    ctx.leases.take(item.id, item.token);
    outcomes.set(index, { ok: true, job: completed(ctx, job, item.result, p.now) });
  }
  return outcomes;
}

function cachedAcks(ctx: StoreContext, items: readonly JobAckItem[]): CachedAck[] {
  const cached: CachedAck[] = [];
  const seen = new Set<string>();
  items.forEach((item, index) => {
    if (seen.has(item.id)) return;
    seen.add(item.id);
    const job = ctx.leases.peek(item.id, item.token);
    if (job !== undefined) cached.push({ index, item, job });
  });
  return cached;
}

function settle(apply: () => Job): SettleOutcome {
  try {
    return { ok: true, job: apply() };
  } catch (err) {
    const error = refusalOf(err);
    if (error === null) throw err;
    return { ok: false, error };
  }
}
