/**
 * Jobs as the SDK hands them out: the protocol's Job with the payload typed as the queue's data
 * `T` and the result as `R`. The types are a promise made by the caller (`client.queue<T, R>`),
 * not checked at run time.
 */
import type { Job, LeasedJob } from '@docket/protocol';

export type JobOf<T, R = unknown> = Omit<Job, 'data' | 'result'> & { readonly data: T; readonly result: R | null };

/** A job leased to a worker: active, with its lease token. */
export type LeasedJobOf<T> = Omit<LeasedJob, 'data' | 'result'> & { readonly data: T; readonly result: null };

export function typedJob<T, R>(job: Job): JobOf<T, R> {
  return job as unknown as JobOf<T, R>;
}

export function typedLeasedJob<T>(job: LeasedJob): LeasedJobOf<T> {
  return job as unknown as LeasedJobOf<T>;
}
