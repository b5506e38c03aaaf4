/** Reading (a job, its attempt history), cancelling, promoting, retrying and deleting single jobs by id. */
import { InternalError, type Job, type JobAttempt, type JobAttempts } from '@docket/protocol';
import type { JobCancelParams, JobDeleteParams, JobGetParams, JobPromoteParams, JobRetryParams } from '@docket/core';
import { fieldsToJob } from './job-fields.ts';
import { asNumber, jobsReply, settledJob } from './replies.ts';
import { run, runTimed, type StoreContext } from './store-context.ts';

export async function jobGet(ctx: StoreContext, p: JobGetParams): Promise<Job | null> {
  const fields = await ctx.client.hgetall(ctx.keys.job(p.id));
  return Object.keys(fields).length === 0 ? null : fieldsToJob(fields);
}

/** The history list and the job's dropped count, read in one MULTI; null when the job is missing. */
export async function jobAttempts(ctx: StoreContext, p: JobGetParams): Promise<JobAttempts | null> {
  const replies = await ctx.client
    .multi()
    .exists(ctx.keys.job(p.id))
    .hget(ctx.keys.job(p.id), 'attemptsDropped')
    .lrange(ctx.keys.attempts(p.id), 0, -1)
    .exec();
  if (replies === null) throw new InternalError('redis aborted the attempt-history read');
  const [exists, dropped, entries] = replies.map(([err, value]) => {
    if (err !== null) throw err;
    return value;
  });
  if (exists === 0) return null;
  return {
    attempts: (entries as string[]).map((entry) => JSON.parse(entry) as JobAttempt),
    dropped: dropped === null ? 0 : Number(dropped),
  };
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
