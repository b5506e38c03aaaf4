/** Reading, cancelling, promoting, retrying and deleting single jobs by id. */
import type { Job } from '@docket/protocol';
import type { JobCancelParams, JobDeleteParams, JobGetParams, JobPromoteParams, JobRetryParams } from '@docket/core';
import { fieldsToJob } from './job-fields.ts';
import { asNumber, jobsReply, settledJob } from './replies.ts';
import { run, runTimed, type StoreContext } from './store-context.ts';

export async function jobGet(ctx: StoreContext, p: JobGetParams): Promise<Job | null> {
  const fields = await ctx.client.hgetall(ctx.keys.job(p.id));
  return Object.keys(fields).length === 0 ? null : fieldsToJob(fields);
}

/** Waiting, delayed or active → dead (`cancelled`); a finished job is refused with JobFinishedError. */
export async function jobCancel(ctx: StoreContext, p: JobCancelParams): Promise<Job> {
  return settledJob(await runTimed(ctx, 'job-cancel', p.now, [p.id]), p.id);
}

/** A delayed job → waiting now; null when missing or not delayed. */
export async function jobPromote(ctx: StoreContext, p: JobPromoteParams): Promise<Job | null> {
  return jobsReply(await runTimed(ctx, 'job-promote', p.now, [p.id]))[0] ?? null;
}

/** A dead job → waiting now (a new life); null when missing or not dead. */
export async function jobRetry(ctx: StoreContext, p: JobRetryParams): Promise<Job | null> {
  return jobsReply(await runTimed(ctx, 'job-retry', p.now, [p.id]))[0] ?? null;
}

export async function jobDelete(ctx: StoreContext, p: JobDeleteParams): Promise<boolean> {
  return asNumber(await run(ctx, 'job-delete', [p.id])) === 1;
}
