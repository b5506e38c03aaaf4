/**
 * Enqueues the HTTP transport is asked for within one macrotask (or within `windowMs`, at most
 * 1 ms, when set) go to the server as one request, `POST /v1/jobs`, whose items each succeed or
 * fail on their own, instead of one request each: 64 callers that each enqueue one job cost one
 * round trip and one commit, not 64. An enqueue alone in its window still takes the single-job
 * route, so its answer and its error are exactly what they were.
 *
 * Invariants: every call settles with its own item's outcome (its job, or its own error: a bad
 * item never fails its neighbours); items reach the server in call order, and the server inserts
 * one queue's items in that order, so one producer's jobs keep their order; a request holds at
 * most limits.MAX_BATCH_SIZE items and at most MAX_REQUEST_CHARS of JSON; a request that fails as
 * a whole (network, 5xx after the retries) fails each of its calls with that error. A call whose
 * signal aborts before its request leaves is taken out and enqueues nothing; one that aborts
 * later gets its abort reason at once, and its job may still have gone in (its id makes a retry
 * return that job, never a second one).
 */
import { limits, type EnqueueResult } from '@docket/protocol';
import { afterThisTask } from './after-this-task.ts';
import { errorFromWire, type WireError } from './errors.ts';
import { abortReason } from './sleep.ts';
import { fromWireJob, type WireJob } from './wire.ts';

/** One item of a `POST /v1/jobs` answer. */
export type WireEnqueueResult = { readonly job: WireJob; readonly created: boolean } | { readonly error: WireError };

export interface EnqueueRoutes {
  /** The single-job route of `queue`, with this job's wire body. */
  one(queue: string, body: Readonly<Record<string, unknown>>, signal?: AbortSignal): Promise<EnqueueResult>;
  /**
   * The batch route, with the items' JSON texts joined: one result per item, in order.
   * `idempotent` when every item carries an id, so that repeating the request is safe.
   */
  many(itemsJson: string, idempotent: boolean): Promise<readonly WireEnqueueResult[]>;
}

/**
 * 4 Mi characters of JSON (at most 12 MiB of UTF-8), under the server's 16 MiB batch body limit;
 * an item larger than that (a 1 MiB payload is far smaller) goes in a request of its own.
 */
const MAX_REQUEST_CHARS = 4 * 1024 * 1024;

interface Pending {
  readonly queue: string;
  readonly body: Readonly<Record<string, unknown>>;
  readonly signal: AbortSignal | undefined;
  readonly resolve: (result: EnqueueResult) => void;
  readonly reject: (error: unknown) => void;
  /** Set when the call gave up (its signal aborted) after its request left. */
  settled: boolean;
}

export class EnqueueCoalescer {
  readonly #routes: EnqueueRoutes;
  readonly #windowMs: number;
  #pending: Pending[] = [];

  constructor(routes: EnqueueRoutes, windowMs = 0) {
    this.#routes = routes;
    this.#windowMs = windowMs;
  }

  enqueue(queue: string, body: Readonly<Record<string, unknown>>, signal?: AbortSignal): Promise<EnqueueResult> {
    if (signal?.aborted === true) return Promise.reject(abortReason(signal));
    return new Promise<EnqueueResult>((resolve, reject) => {
      if (this.#pending.length === 0) this.#schedule();
      const item: Pending = { queue, body, signal, resolve, reject, settled: false };
      this.#pending.push(item);
      signal?.addEventListener('abort', () => this.#abandon(item), { once: true });
    });
  }

  #schedule(): void {
    if (this.#windowMs > 0) setTimeout(() => this.#flush(), this.#windowMs);
    else afterThisTask(() => this.#flush());
  }

  #abandon(item: Pending): void {
    if (item.settled || item.signal === undefined) return;
    item.settled = true;
    item.reject(abortReason(item.signal));
  }

  #flush(): void {
    const pending = this.#pending.filter((item) => !item.settled);
    this.#pending = [];
    let batch: Pending[] = [];
    let texts: string[] = [];
    let chars = 0;
    const send = (): void => {
      if (batch.length > 0) void this.#send(batch, texts);
      batch = [];
      texts = [];
      chars = 0;
    };
    for (const item of pending) {
      const text = JSON.stringify({ queue: item.queue, ...item.body });
      if (batch.length === limits.MAX_BATCH_SIZE || (batch.length > 0 && chars + text.length > MAX_REQUEST_CHARS))
        send();
      batch.push(item);
      texts.push(text);
      chars += text.length + 1;
    }
    send();
  }

  async #send(batch: readonly Pending[], texts: readonly string[]): Promise<void> {
    const [only] = batch;
    if (batch.length === 1 && only !== undefined) {
      await this.#routes.one(only.queue, only.body, only.signal).then(
        (result) => settle(only, () => only.resolve(result)),
        (err: unknown) => settle(only, () => only.reject(err)),
      );
      return;
    }
    let results: readonly WireEnqueueResult[];
    try {
      const idempotent = batch.every((item) => item.body['id'] !== undefined);
      results = await this.#routes.many(texts.join(','), idempotent);
    } catch (err) {
      for (const item of batch) settle(item, () => item.reject(err));
      return;
    }
    batch.forEach((item, i) => {
      const result = results[i];
      settle(item, () => {
        if (result === undefined)
          item.reject(new Error(`the server answered ${results.length} results for ${batch.length} items`));
        else if ('job' in result) item.resolve({ job: fromWireJob(result.job), created: result.created });
        else item.reject(errorFromWire(200, result.error));
      });
    });
  }
}

function settle(item: Pending, run: () => void): void {
  if (item.settled) return;
  item.settled = true;
  run();
}
