/** The job a fresh insert created, built from its input and assigned seq without reading it back. */
import type { Job } from '@docket/protocol';
import type { NewJob } from '../store.ts';
import { GROUP_LANE } from './groups.ts';

export function newJobToJob(job: NewJob, seq: number): Job {
  return {
    id: job.id,
    queue: job.queue,
    name: job.name,
    state: job.state,
    encoding: job.encoding,
    data: job.data,
    priority: job.priority,
    seq,
    attempts: 0,
    maxAttempts: job.maxAttempts,
    nacks: 0,
    delayedNacks: 0,
    createdAt: job.createdAt,
    runAt: job.runAt,
    expiresAt: job.expiresAt,
    leaseMs: job.leaseMs,
    timeoutMs: job.timeoutMs,
    backoff: job.backoff,
    dedupKey: job.dedupKey,
    ...(job.group === undefined || job.group === GROUP_LANE ? {} : { group: job.group }),
    meta: job.meta,
    leaseToken: null,
    leaseExpiresAt: null,
    attemptStartedAt: null,
    startedAt: null,
    worker: null,
    finishedAt: null,
    result: null,
    error: null,
    deadReason: null,
  };
}
