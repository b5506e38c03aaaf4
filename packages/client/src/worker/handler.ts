/** What a worker runs for each job. */
import type { Client } from '../client.ts';
import type { LeasedJobOf } from '../typed-job.ts';

export interface HandlerContext {
  /**
   * Aborts when the attempt runs past the job's `timeoutMs` (reason JobTimeoutError), when the
   * lease is lost (LeaseLostError), or on `close({ force: true })` (WorkerClosedError).
   */
  readonly signal: AbortSignal;
  /** The worker's client, to enqueue follow-up jobs. */
  readonly client: Client;
}

/**
 * Returns the job's result (any JSON value, or undefined for none). Throw RetryLater or
 * FailPermanently to steer the job; any other throw is a failed attempt.
 *
 * @example
 * const handler: Handler<{ to: string }, { sent: boolean }> = async (job, { signal }) => {
 *   await sendMail(job.data.to, { signal });
 *   return { sent: true };
 * };
 */
export type Handler<T, R> = (job: LeasedJobOf<T>, context: HandlerContext) => R | Promise<R>;
