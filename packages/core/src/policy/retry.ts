/** Where a failed attempt sends a job: back after its backoff, or dead. Pure. */
import type { DeadReason, Job } from '@docket/protocol';
import type { NackTarget } from '../store.ts';
import { backoffDelay } from './backoff.ts';

export interface FailureInput {
  readonly job: Pick<Job, 'attempts' | 'maxAttempts' | 'backoff'>;
  readonly now: number;
  readonly random: number;
  /** False when the consumer failed the job for good. */
  readonly retry: boolean;
  /** The attempt ran past the job's timeoutMs. */
  readonly timedOut: boolean;
}

/** True when a failed attempt leaves no attempt to try. */
export function shouldDie(job: Pick<Job, 'attempts' | 'maxAttempts'>): boolean {
  return job.attempts >= job.maxAttempts;
}

export function failureTarget(input: FailureInput): NackTarget {
  if (!input.retry) return { state: 'dead', reason: 'rejected' };
  if (shouldDie(input.job)) {
    const reason: DeadReason = input.timedOut ? 'timeout' : 'max-attempts';
    return { state: 'dead', reason };
  }
  const delay = backoffDelay(input.job.backoff, input.job.attempts, input.random);
  if (delay === 0) return { state: 'waiting', placement: 'back' };
  return { state: 'delayed', runAt: input.now + delay };
}
