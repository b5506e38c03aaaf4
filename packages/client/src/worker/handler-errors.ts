/**
 * Typed errors of the worker. Handlers throw RetryLater, RateLimited and FailPermanently to steer their job;
 * the worker raises the others on the handler's AbortSignal (`signal.reason`) and in its events.
 */
import { JobExpiredError, JobFinishedError, JobNotFoundError, LeaseMismatchError, type Job } from '@docket/protocol';

/**
 * Give the job back to run again after `delayMs`. Not a failure: no attempt is spent on backoff,
 * and the job's `nacks` (and `delayedNacks`) count it.
 *
 * @example
 * if (await providerBusy()) throw new RetryLater(60_000);
 */
export class RetryLater extends Error {
  readonly delayMs: number;

  constructor(delayMs: number, message = `retry in ${delayMs} ms`) {
    super(message);
    this.name = 'RetryLater';
    this.delayMs = delayMs;
  }
}

/**
 * The handler met a downstream rate limit (BullMQ's `RateLimitError`): give the job back to run
 * again after `retryAfterMs` and give the lease back with it, so this run does not count against
 * the job's `maxAttempts` (its `attempts` goes back down) and is recorded neither as a failure nor
 * in the attempt history. A job of a FIFO group holds its group meanwhile. A RetryLater, so
 * code that handles RetryLater handles it too.
 *
 * @example
 * if (response.status === 429) throw new RateLimited(Number(response.headers.get('retry-after')) * 1000);
 */
export class RateLimited extends RetryLater {
  constructor(retryAfterMs: number, message = `rate limited: retry in ${retryAfterMs} ms`) {
    super(retryAfterMs, message);
    this.name = 'RateLimited';
  }

  get retryAfterMs(): number {
    return this.delayMs;
  }
}

/**
 * Fail the job for good, whatever attempts remain: it becomes dead with reason `rejected`.
 *
 * @example
 * if (!job.data.to) throw new FailPermanently('no recipient');
 */
export class FailPermanently extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'FailPermanently';
  }
}

/** The lease was refused or ran out: the job may belong to another consumer now, so it is never acked. */
export class LeaseLostError extends Error {
  readonly job: Job;

  constructor(job: Job, reason: string, options?: ErrorOptions) {
    super(`lease of job ${job.id} lost: ${reason}`, options);
    this.name = 'LeaseLostError';
    this.job = job;
  }
}

/** The server refused an ack, nack or extend because the lease is no longer this worker's. */
export function isLeaseRefusal(err: unknown): boolean {
  return (
    err instanceof LeaseMismatchError ||
    err instanceof JobExpiredError ||
    err instanceof JobNotFoundError ||
    err instanceof JobFinishedError
  );
}

/** The attempt ran past the job's `timeoutMs`; the handler's signal aborts with this reason. */
export class JobTimeoutError extends Error {
  readonly job: Job;

  constructor(job: Job, timeoutMs: number) {
    super(`attempt ran past its timeout of ${timeoutMs} ms`);
    this.name = 'JobTimeoutError';
    this.job = job;
  }
}

/** `close({ force: true })` aborted the handler; its job was given back. */
export class WorkerClosedError extends Error {
  constructor() {
    super('worker closed: the job was given back');
    this.name = 'WorkerClosedError';
  }
}
