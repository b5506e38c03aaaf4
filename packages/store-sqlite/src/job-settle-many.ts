/**
 * The batch forms of ack and nack: one group-commit op for many items, each applied exactly as
 * its single form (job-settle.ts) at the batch's `now`, in order. A refusal is caught as that
 * item's outcome (see refusalOf); anything else fails the op, and with it the whole batch.
 */
import type { Job } from '@docket/protocol';
import type { JobAckManyParams, JobNackManyParams, SettleOutcome } from '@docket/core';
import { refusalOf } from './commit-batcher.ts';
import { jobAck, jobNack } from './job-settle.ts';
import type { StoreContext } from './store-context.ts';

export function jobAckMany(ctx: StoreContext, p: JobAckManyParams): SettleOutcome[] {
  return p.acks.map((item) => settle(() => jobAck(ctx, { ...item, now: p.now })));
}

export function jobNackMany(ctx: StoreContext, p: JobNackManyParams): SettleOutcome[] {
  return p.nacks.map((item) => settle(() => jobNack(ctx, { ...item, now: p.now })));
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
