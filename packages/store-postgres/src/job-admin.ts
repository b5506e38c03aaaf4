/** Reading (a job, its attempt history), cancelling, promoting, retrying and deleting single jobs by id. */
import { JobFinishedError, JobNotFoundError, type Job, type JobAttempts } from '@docket/protocol';
import { parseAttemptLog } from '@docket/core/store-support';
import type { JobCancelParams, JobDeleteParams, JobGetParams, JobPromoteParams, JobRetryParams } from '@docket/core';
import { rowToJob, type JobRow } from './row-mapping.ts';
import type { Session } from './session.ts';

export async function jobGet(s: Session, p: JobGetParams): Promise<Job | null> {
  const [row] = await s.rows<JobRow>('job-get-by-id', p);
  return row === undefined ? null : rowToJob(row);
}

/** The job's attempt history (migration 0006); null when the job does not exist. */
export async function jobAttempts(s: Session, p: JobGetParams): Promise<JobAttempts | null> {
  const [row] = await s.rows<{ readonly attempt_log: string | null }>('job-get-attempts', p);
  return row === undefined ? null : parseAttemptLog(row.attempt_log);
}

/** Waiting, delayed or active → dead (`cancelled`) with one guarded UPDATE; a finished job is refused. */
export async function jobCancel(s: Session, p: JobCancelParams): Promise<Job> {
  const [row] = await s.rows<JobRow>('job-cancel', p);
  if (row !== undefined) return rowToJob(row);
  const job = await jobGet(s, p);
  if (job === null) throw new JobNotFoundError(p.id);
  throw new JobFinishedError(p.id, job.state);
}

/** A delayed job → waiting now with one guarded UPDATE; null when missing or not delayed. */
export async function jobPromote(s: Session, p: JobPromoteParams): Promise<Job | null> {
  const [row] = await s.rows<JobRow>('job-promote', p);
  return row === undefined ? null : rowToJob(row);
}

/** A dead job → waiting now (a new life); null when missing or not dead. */
export async function jobRetry(s: Session, p: JobRetryParams): Promise<Job | null> {
  const [row] = await s.rows<JobRow>('job-retry', p);
  return row === undefined ? null : rowToJob(row);
}

export async function jobDelete(s: Session, p: JobDeleteParams): Promise<boolean> {
  return (await s.count('job-delete', p)) > 0;
}
