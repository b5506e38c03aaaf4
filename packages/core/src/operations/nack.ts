/**
 * nack: the consumer gives a job back. With a placement (front, back, delay) it is the
 * consumer's choice and not a failure; otherwise it is a failed attempt and core's retry policy
 * picks the target (after backoff, or dead). Either way the store applies it fenced by the token.
 */
import { InvalidArgumentError, JobNotFoundError, limits, type Job, type JobError } from '@docket/protocol';
import type { EngineCore } from '../engine-core.ts';
import type { NackOptions } from '../engine-api.ts';
import { attemptTimedOut } from '../policy/expiry.ts';
import { placementTarget } from '../policy/placement.ts';
import { failureTarget } from '../policy/retry.ts';
import { announceMoved } from '../services/context.ts';
import { assertJobId, assertNonNegativeInt, assertToken } from '../validate.ts';

export async function nackJob(core: EngineCore, id: string, options: NackOptions): Promise<Job> {
  assertJobId(id);
  assertToken(options.token);
  const placement = options.placement;
  if (placement !== undefined && !['front', 'back', 'delay'].includes(placement)) {
    throw new InvalidArgumentError('invalid placement: expected front, back or delay', { field: 'placement' });
  }
  if (placement !== undefined && options.fail === true) {
    throw new InvalidArgumentError('give a placement or fail, not both', { field: 'placement' });
  }
  if (placement === 'delay') assertNonNegativeInt(options.delayMs, 'delayMs', limits.MAX_DELAY_MS);
  else if (options.delayMs !== undefined) {
    throw new InvalidArgumentError('delayMs needs placement delay', { field: 'delayMs' });
  }
  if (options.retry !== undefined && placement !== undefined) {
    throw new InvalidArgumentError('retry applies to failed attempts only', { field: 'retry' });
  }
  const now = core.clock.now();
  if (placement !== undefined) {
    const attempt = options.error === undefined ? 0 : (await readJob(core, id)).attempts;
    const job = await core.store.jobNack({
      id,
      token: options.token,
      now,
      target: placementTarget(placement, now, options.delayMs ?? 0),
      kind: 'placement',
      error: toJobError(options.error, now, attempt),
      leaseExpiredOnly: false,
    });
    core.events.emit('job:nacked', { job });
    announceMoved(core.ctx, job);
    return job;
  }
  const current = await readJob(core, id);
  const error = toJobError(options.error, now, current.attempts);
  const target = failureTarget({
    job: current,
    now,
    random: core.ctx.random(),
    retry: options.retry ?? true,
    timedOut: attemptTimedOut(current, now),
  });
  const job = await core.store.jobNack({
    id,
    token: options.token,
    now,
    target,
    kind: 'failure',
    error,
    leaseExpiredOnly: false,
  });
  if (job.state !== 'dead') core.events.emit('job:retrying', { job, error });
  announceMoved(core.ctx, job);
  return job;
}

/** The job as stored: a failure needs its attempts and backoff, an error its attempt number. */
async function readJob(core: EngineCore, id: string): Promise<Job> {
  const job = await core.store.jobGet({ id });
  if (job === null) throw new JobNotFoundError(id);
  return job;
}

function toJobError(input: NackOptions['error'], now: number, attempt: number): JobError | null {
  if (input === undefined) return null;
  if (typeof input !== 'object' || input === null || typeof input.message !== 'string') {
    throw new InvalidArgumentError('invalid error: expected { message, stack? }', { field: 'error' });
  }
  const message = input.message.slice(0, limits.MAX_ERROR_MESSAGE_LENGTH);
  const stack = typeof input.stack === 'string' ? input.stack.slice(0, limits.MAX_ERROR_MESSAGE_LENGTH) : undefined;
  return stack === undefined ? { message, at: now, attempt } : { message, stack, at: now, attempt };
}
