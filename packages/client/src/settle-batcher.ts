/**
 * Acks (or nacks) the HTTP transport is asked for within one macrotask go to the server in one
 * batch request (`POST /v1/jobs/ack`, `POST /v1/jobs/nack`) instead of one request each, so a
 * Worker whose handlers finish together settles their jobs in one round trip. A settlement alone
 * in its macrotask still takes the single-job route, so its answer and its error are exactly
 * what they were.
 *
 * Invariants: every call's promise settles with its own item's outcome, and items reach the
 * server in call order (the server applies a batch's items in order); a batch holds at most
 * limits.MAX_BATCH_SIZE items; a request that fails as a whole (network, 5xx after the retries)
 * fails each of its calls with that error.
 */
import { limits, type Job } from '@docket/protocol';
import { afterThisTask } from './after-this-task.ts';
import { errorFromWire, type WireError } from './errors.ts';
import { fromWireJob, type WireJob } from './wire.ts';

/** One item of a batch answer: `{id, job}` or `{id, error}`. */
export type WireSettleResult = { readonly job: WireJob } | { readonly error: WireError };

export interface SettleRoutes {
  /** The single-job route for `id` with this body. */
  one(id: string, body: Readonly<Record<string, unknown>>): Promise<Job>;
  /** The batch route: one result per item, in order. */
  many(items: readonly Readonly<Record<string, unknown>>[]): Promise<readonly WireSettleResult[]>;
}

interface Pending {
  readonly id: string;
  readonly body: Readonly<Record<string, unknown>>;
  readonly resolve: (job: Job) => void;
  readonly reject: (error: unknown) => void;
}

export class SettleBatcher {
  readonly #routes: SettleRoutes;
  #pending: Pending[] = [];

  constructor(routes: SettleRoutes) {
    this.#routes = routes;
  }

  settle(id: string, body: Readonly<Record<string, unknown>>): Promise<Job> {
    return new Promise<Job>((resolve, reject) => {
      if (this.#pending.length === 0) afterThisTask(() => this.#flush());
      this.#pending.push({ id, body, resolve, reject });
    });
  }

  #flush(): void {
    const pending = this.#pending;
    this.#pending = [];
    for (let from = 0; from < pending.length; from += limits.MAX_BATCH_SIZE) {
      void this.#send(pending.slice(from, from + limits.MAX_BATCH_SIZE));
    }
  }

  async #send(batch: readonly Pending[]): Promise<void> {
    const [only] = batch;
    if (batch.length === 1 && only !== undefined) {
      await this.#routes.one(only.id, only.body).then(only.resolve, only.reject);
      return;
    }
    let results: readonly WireSettleResult[];
    try {
      results = await this.#routes.many(batch.map((item) => ({ id: item.id, ...item.body })));
    } catch (err) {
      for (const item of batch) item.reject(err);
      return;
    }
    batch.forEach((item, i) => {
      const result = results[i];
      if (result === undefined)
        item.reject(new Error(`the server answered ${results.length} results for ${batch.length} items`));
      else if ('job' in result) item.resolve(fromWireJob(result.job));
      else item.reject(errorFromWire(200, result.error));
    });
  }
}
