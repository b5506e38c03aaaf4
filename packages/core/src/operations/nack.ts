/**
 * nack: the consumer gives a job back. With a placement (front, back, delay) it is the
 * consumer's choice and not a failure; `rateLimited` is a delay placement that also gives the
 * lease back (the attempt is not spent); otherwise it is a failed attempt and core's retry policy
 * picks the target (after backoff, or dead). Either way the store applies it fenced by the token.
 * The batch form plans every item the same way, then asks the store once.
 */
import { InvalidArgumentError, JobNotFoundError, limits, type Job, type JobError } from '@docket/protocol';
import type { EngineCore } from '../engine-core.ts';
import type { NackItem, NackOptions } from '../engine-api.ts';
import { attemptTimedOut } from '../policy/expiry.ts';
import { placementTarget } from '../policy/placement.ts';
import { failureTarget } from '../policy/retry.ts';
import { announceMoved } from '../services/context.ts';
import type { JobNackItem, SettleOutcome } from '../store.ts';
import { assertJobId, assertNonNegativeInt, assertToken } from '../validate.ts';
import { announceExpired, refusedOutcome, settleBatch } from './settle.ts';

export async function nackJob(core: EngineCore, id: string, options: NackOptions): Promise<Job> {
  const now = core.clock.now();
  const nack = await planNack(core, id, options, now);
  const job = await core.store.jobNack({ ...nack, now }).catch((err: unknown) => announceExpired(core, id, err));
  announceNacked(core, job, nack);
  return job;
}

/** One outcome per item, in order; each item is validated, planned and applied on its own. */
export async function nackJobs(core: EngineCore, items: readonly NackItem[]): Promise<SettleOutcome[]> {
  const now = core.clock.now();
  const planned = await Promise.all(
    items.map(({ id, ...options }) => planNack(core, id, options, now).catch(refusedOutcome)),
  );
  return settleBatch(
    core,
    planned,
    (nacks) => core.store.jobNackMany({ nacks, now }),
    (job, nack) => announceNacked(core, job, nack),
  );
}

/** Validates one nack and computes its target: a failure reads the job for its attempts and backoff. */
async function planNack(core: EngineCore, id: string, options: NackOptions, now: number): Promise<JobNackItem> {
  assertJobId(id);
  assertToken(options.token);
  const placement = options.placement;
  if (placement !== undefined && !['front', 'back', 'delay'].includes(placement)) {
    throw new InvalidArgumentError('invalid placement: expected front, back or delay', { field: 'placement' });
  }
  if (placement !== undefined && options.fail === true) {
    throw new InvalidArgumentError('give a placement or fail, not both', { field: 'placement' });
  }
  const rateLimited = assertRateLimited(options);
  if (placement === 'delay' || rateLimited) assertNonNegativeInt(options.delayMs, 'delayMs', limits.MAX_DELAY_MS);
  else if (options.delayMs !== undefined) {
    throw new InvalidArgumentError('delayMs needs placement delay', { field: 'delayMs' });
  }
  if (options.retry !== undefined && (placement !== undefined || rateLimited)) {
    throw new InvalidArgumentError('retry applies to failed attempts only', { field: 'retry' });
  }
  if (placement !== undefined || rateLimited) {
    const attempt = options.error === undefined ? 0 : (await readJob(core, id)).attempts;
    const item: JobNackItem = {
      id,
      token: options.token,
      target: placementTarget(placement ?? 'delay', now, options.delayMs ?? 0),
      kind: 'placement',
      error: toJobError(options.error, now, attempt),
      leaseExpiredOnly: false,
    };
    return rateLimited ? { ...item, rateLimited: true } : item;
  }
  const current = await readJob(core, id);
  return {
    id,
    token: options.token,
    target: failureTarget({
      job: current,
      now,
      random: core.ctx.random(),
      retry: options.retry ?? true,
      timedOut: attemptTimedOut(current, now),
    }),
    kind: 'failure',
    error: toJobError(options.error, now, current.attempts),
    leaseExpiredOnly: false,
  };
}

/** `rateLimited` is a boolean that goes with placement delay (or none), never with a failure. */
function assertRateLimited(options: NackOptions): boolean {
  const { rateLimited, placement } = options;
  if (rateLimited === undefined) return false;
  if (typeof rateLimited !== 'boolean') {
    throw new InvalidArgumentError('invalid rateLimited: expected a boolean', { field: 'rateLimited' });
  }
  if (!rateLimited) return false;
  if (placement !== undefined && placement !== 'delay') {
    throw new InvalidArgumentError('rateLimited gives the job back after delayMs: placement must be delay or absent', {
      field: 'rateLimited',
    });
  }
  if (options.fail === true) {
    throw new InvalidArgumentError('a rate-limited nack is not a failure: give rateLimited or fail, not both', {
      field: 'rateLimited',
    });
  }
  if (options.delayMs === undefined) {
    throw new InvalidArgumentError('rateLimited needs delayMs (how long until the job is retried)', {
      field: 'delayMs',
    });
  }
  return true;
}

function announceNacked(core: EngineCore, job: Job, nack: JobNackItem): void {
  if (nack.kind === 'placement') core.events.emit('job:nacked', { job });
  else if (job.state !== 'dead') core.events.emit('job:retrying', { job, error: nack.error });
  announceMoved(core.ctx, job);
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
  const stack = typeof input.stack === 'string' ? input.stack.slice(0, limits.MAX_ERROR_STACK_LENGTH) : undefined;
  return stack === undefined ? { message, at: now, attempt } : { message, stack, at: now, attempt };
}
