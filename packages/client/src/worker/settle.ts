/**
 * The one call that ends a job's run, chosen from the handler's outcome, and the events that
 * announce it:
 * - returned → ack with the value as result → `completed`;
 * - RetryLater → nack with a delay (not a failure) → `retrying`;
 * - RateLimited → the same, with `rateLimited`: the lease is given back, no attempt spent;
 * - FailPermanently → `failed`, nack failed without retry → `dead` (reason rejected);
 * - any other throw (or the attempt timeout) → `failed`, nack failed with message and stack (cut
 *   to the server's bounds, so an error with a huge stack still settles) → `retrying` or `dead`
 *   as the engine decided.
 * A refused ack or nack means the lease was lost meanwhile: reported as LeaseLostError, except
 * after a timeout, when the server taking the job back is the expected outcome.
 */
import { LeaseMismatchError, limits, type Job, type JsonValue, type LeasedJob } from '@docket/protocol';
import type { Transport } from '../transport.ts';
import { typedJob, typedLeasedJob } from '../typed-job.ts';
import type { Emitter, WorkerEvents } from './events.ts';
import {
  FailPermanently,
  JobTimeoutError,
  LeaseLostError,
  RateLimited,
  RetryLater,
  isLeaseRefusal,
} from './handler-errors.ts';

export type Outcome<R> = { readonly ok: true; readonly value: R } | { readonly ok: false; readonly error: Error };

/** The calls that settle a job: the transport's, or a consumer stream's for jobs it delivered. */
export type Settler = Pick<Transport, 'ack' | 'nack' | 'extend' | 'get'>;

export interface SettleDeps<T, R> {
  readonly transport: Settler;
  readonly events: Emitter<WorkerEvents<T, R>>;
}

export function toError(thrown: unknown): Error {
  return thrown instanceof Error ? thrown : new Error(typeof thrown === 'string' ? thrown : JSON.stringify(thrown));
}

function delayOf(error: RetryLater): number {
  const delay = Math.round(error.delayMs);
  return Number.isFinite(delay) ? Math.min(Math.max(0, delay), limits.MAX_DELAY_MS) : 0;
}

async function fail<T, R>(deps: SettleDeps<T, R>, job: LeasedJob, error: Error): Promise<void> {
  deps.events.emit('failed', typedLeasedJob<T>(job), error);
  const permanent = error instanceof FailPermanently;
  const nacked = await deps.transport
    .nack(job.id, {
      token: job.leaseToken,
      fail: true,
      ...(permanent ? { retry: false } : {}),
      error: reportedError(error),
    })
    .catch((err: unknown) => {
      // The server caps a lease at the attempt's timeout and takes the job back itself, often
      // before this nack arrives: then read back where the job went.
      if (error instanceof JobTimeoutError && err instanceof LeaseMismatchError) return deps.transport.get(job.id);
      throw err;
    });
  announce(deps, nacked, error);
}

/** The handler's error as a nack carries it: message and stack within MAX_ERROR_*_LENGTH. */
function reportedError(error: Error): { message: string; stack?: string } {
  const message = error.message.slice(0, limits.MAX_ERROR_MESSAGE_LENGTH);
  if (typeof error.stack !== 'string') return { message };
  return { message, stack: error.stack.slice(0, limits.MAX_ERROR_STACK_LENGTH) };
}

function announce<T, R>(deps: SettleDeps<T, R>, job: Job, error: Error): void {
  if (job.state === 'dead') deps.events.emit('dead', typedJob<T, R>(job), error);
  else deps.events.emit('retrying', typedJob<T, R>(job), error);
}

export async function settle<T, R>(deps: SettleDeps<T, R>, job: LeasedJob, outcome: Outcome<R>): Promise<void> {
  try {
    if (outcome.ok) {
      const result = outcome.value === undefined ? {} : { result: outcome.value as JsonValue };
      const acked = await deps.transport.ack(job.id, { token: job.leaseToken, ...result });
      deps.events.emit('completed', typedJob<T, R>(acked), outcome.value);
    } else if (outcome.error instanceof RetryLater) {
      const nacked = await deps.transport.nack(job.id, {
        token: job.leaseToken,
        placement: 'delay',
        delayMs: delayOf(outcome.error),
        ...(outcome.error instanceof RateLimited ? { rateLimited: true } : {}),
      });
      announce(deps, nacked, outcome.error);
    } else {
      await fail(deps, job, outcome.error);
    }
  } catch (err) {
    const verb = outcome.ok ? 'ack' : 'nack';
    if (isLeaseRefusal(err))
      deps.events.emit('error', new LeaseLostError(job, `${verb} refused: ${toError(err).message}`, { cause: err }));
    else deps.events.emit('error', toError(err));
  }
}

/** Forced close: the job goes back to the front of its queue at once (not a failure). */
export async function giveBack<T, R>(deps: SettleDeps<T, R>, job: LeasedJob): Promise<void> {
  try {
    await deps.transport.nack(job.id, { token: job.leaseToken, placement: 'front' });
  } catch (err) {
    deps.events.emit('error', toError(err));
  }
}
