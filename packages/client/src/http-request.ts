/**
 * One request to the /v1 API over the sender (http-sender.ts: undici on Node, fetch elsewhere),
 * tried again per http-retry.ts. Each try has a deadline: the request timeout plus
 * the long-poll wait the request asks the server for, so a hung server cannot hold a caller
 * forever. Answers are decoded here: JSON on success, catalog errors into protocol classes, and
 * network failures into UnavailableError (with the cause kept).
 */
import { UnavailableError } from '@docket/protocol';
import { errorFromStatus, errorFromWire, type WireError } from './errors.ts';
import { classifyStatus, neverSent, nextDelay, type Failure, type RetryPolicy } from './http-retry.ts';
import type { Sender } from './http-sender.ts';
import { abortReason, sleep } from './sleep.ts';

export interface HttpRequest {
  readonly method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Path and query under the base URL, already encoded. */
  readonly path: string;
  readonly body?: unknown;
  /** A JSON body already serialized (instead of `body`). */
  readonly json?: string;
  /** Safe to repeat when a try's outcome is unknown (see http-retry.ts). */
  readonly idempotent: boolean;
  readonly signal?: AbortSignal;
  /** Long-poll: the server may hold the answer this long; added to the try's deadline. */
  readonly waitMs?: number;
}

export interface RequesterOptions {
  readonly url: string;
  readonly token?: string;
  readonly policy: RetryPolicy;
  readonly requestTimeoutMs: number;
  readonly sender: Sender;
  readonly random?: () => number;
}

type Outcome =
  | { readonly ok: true; readonly value: unknown }
  | { readonly ok: false; readonly error: Error; readonly failure: Failure };

function isWireError(body: unknown): body is { error: WireError } {
  if (typeof body !== 'object' || body === null || !('error' in body)) return false;
  const error = body.error;
  return typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string';
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

export class HttpRequester {
  readonly #base: string;
  readonly #headers: Readonly<Record<string, string>>;
  readonly #policy: RetryPolicy;
  readonly #timeoutMs: number;
  readonly #random: () => number;
  readonly #sender: Sender;
  readonly #origin: string;
  /** The base URL's own path, such as `/docket` behind a proxy; empty for most. */
  readonly #prefix: string;

  constructor(options: RequesterOptions) {
    this.#sender = options.sender;
    this.#base = options.url.replace(/\/+$/, '');
    const base = new URL(this.#base);
    this.#origin = base.origin;
    this.#prefix = base.pathname.replace(/\/+$/, '');
    this.#headers = {
      accept: 'application/json',
      ...(options.token === undefined || options.token === '' ? {} : { authorization: `Bearer ${options.token}` }),
    };
    this.#policy = options.policy;
    this.#timeoutMs = options.requestTimeoutMs;
    this.#random = options.random ?? Math.random;
  }

  /** The decoded JSON answer (undefined for 204), or the error of the last try. */
  async send<T>(request: HttpRequest): Promise<T> {
    const started = performance.now();
    for (let attempt = 1; ; attempt += 1) {
      const outcome = await this.#try(request);
      if (outcome.ok) return outcome.value as T;
      const delay = nextDelay({
        policy: this.#policy,
        failure: outcome.failure,
        idempotent: request.idempotent,
        attempt,
        elapsedMs: performance.now() - started,
        random: this.#random(),
      });
      if (delay === null) throw outcome.error;
      await sleep(delay, request.signal);
    }
  }

  async #try(request: HttpRequest): Promise<Outcome> {
    const deadline = this.#timeoutMs + (request.waitMs ?? 0);
    const url = this.#base + request.path;
    // One controller per try, fed by the caller's signal and a timer: AbortSignal.any would
    // register every try on a long-lived caller signal (a worker's), which Node 20 holds on to.
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, deadline);
    const onAbort = (): void => controller.abort();
    request.signal?.addEventListener('abort', onAbort, { once: true });
    if (request.signal?.aborted === true) controller.abort();
    try {
      const json = request.json ?? (request.body === undefined ? undefined : JSON.stringify(request.body));
      const { status, retryAfter, text } = await this.#sender({
        method: request.method,
        origin: this.#origin,
        path: this.#prefix + request.path,
        headers: json === undefined ? this.#headers : { ...this.#headers, 'content-type': 'application/json' },
        ...(json === undefined ? {} : { body: json }),
        signal: controller.signal,
      });
      if (status >= 200 && status < 300) return { ok: true, value: text === '' ? undefined : JSON.parse(text) };
      const body = parseJson(text);
      const error = isWireError(body) ? errorFromWire(status, body.error) : errorFromStatus(status, text);
      return { ok: false, error, failure: classifyStatus(status, retryAfter, Date.now()) };
    } catch (err) {
      if (request.signal?.aborted === true) throw abortReason(request.signal);
      const reason = timedOut ? `no answer within ${deadline} ms` : err instanceof Error ? err.message : String(err);
      const error = new UnavailableError(`cannot reach docket at ${this.#base}: ${reason}`, { url }, { cause: err });
      const failure: Failure = neverSent(err) ? { kind: 'refused', retryAfterMs: null } : { kind: 'unknown-outcome' };
      return { ok: false, error, failure };
    } finally {
      clearTimeout(timer);
      request.signal?.removeEventListener('abort', onAbort);
    }
  }
}
