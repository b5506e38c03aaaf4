/**
 * When the HTTP transport tries a request again, and how long it waits first.
 *
 * - 429 and 503 (and a network error before the request left) mean nothing happened on the
 *   server: every operation is retried.
 * - Other network errors, timeouts, 502 and 504 leave the outcome unknown: only idempotent
 *   operations are retried (reads, extend, pause/resume, and enqueue, whose SDK-generated `id`
 *   makes a repeat return the first job). A lease, ack or nack is not repeated blindly: a lease
 *   lost in transit comes back when its lease runs out; an ack is the worker's business.
 * - Waits grow exponentially with full jitter; a `Retry-After` is honoured (plus a little jitter
 *   so a crowd of clients does not return in step). Attempts and total time are bounded; a wait
 *   that would overrun the total gives up at once.
 */

export interface RetryOptions {
  /** Tries in all, the first included (default 5; 1 turns retries off). */
  readonly maxAttempts?: number;
  /** First backoff (default 100 ms). */
  readonly initialDelayMs?: number;
  /** Largest backoff (default 5 s). */
  readonly maxDelayMs?: number;
  /** Give up once this much time went by since the first try (default 30 s). */
  readonly maxElapsedMs?: number;
}

export type RetryPolicy = Required<RetryOptions>;

/**
 * 5 tries over at most 30 s: rides out a server restart or a leader change of a few seconds,
 * and still answers a caller within a typical request budget.
 */
export const DEFAULT_RETRY: RetryPolicy = {
  maxAttempts: 5,
  initialDelayMs: 100,
  maxDelayMs: 5_000,
  maxElapsedMs: 30_000,
};

export function retryPolicy(options: RetryOptions | false | undefined): RetryPolicy {
  if (options === false) return { ...DEFAULT_RETRY, maxAttempts: 1 };
  return { ...DEFAULT_RETRY, ...options };
}

/** What went wrong with one try, as far as retrying is concerned. */
export type Failure =
  | { readonly kind: 'refused'; readonly retryAfterMs: number | null }
  | { readonly kind: 'unknown-outcome' }
  | { readonly kind: 'final' };

const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'UND_ERR_CONNECT_TIMEOUT']);

function codeOf(value: unknown): unknown {
  return typeof value === 'object' && value !== null && 'code' in value ? value.code : undefined;
}

/**
 * A try that failed before the request could reach the server (connection refused, DNS): the
 * code is on the error itself (undici) or on its cause (fetch).
 */
export function neverSent(err: unknown): boolean {
  const cause = err instanceof Error ? err.cause : undefined;
  return [codeOf(err), codeOf(cause)].some((code) => typeof code === 'string' && NOT_SENT_CODES.has(code));
}

export function classifyStatus(status: number, retryAfter: string | null, now: number): Failure {
  if (status === 429 || status === 503) return { kind: 'refused', retryAfterMs: parseRetryAfter(retryAfter, now) };
  if (status === 502 || status === 504) return { kind: 'unknown-outcome' };
  return { kind: 'final' };
}

/** `Retry-After` as delay-seconds or an HTTP-date (RFC 9110 10.2.3), in ms; null when absent or bad. */
export function parseRetryAfter(value: string | null, now: number): number | null {
  if (value === null || value.trim() === '') return null;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}

/**
 * The wait before try `attempt + 1`, or null to give up: out of tries, out of time, or an outcome
 * that must not be repeated for this operation.
 */
export function nextDelay(input: {
  readonly policy: RetryPolicy;
  readonly failure: Failure;
  readonly idempotent: boolean;
  readonly attempt: number;
  readonly elapsedMs: number;
  readonly random: number;
}): number | null {
  const { policy, failure, attempt } = input;
  if (failure.kind === 'final') return null;
  if (failure.kind === 'unknown-outcome' && !input.idempotent) return null;
  if (attempt >= policy.maxAttempts) return null;
  const backoff = Math.min(policy.maxDelayMs, policy.initialDelayMs * 2 ** (attempt - 1));
  const retryAfter = failure.kind === 'refused' ? failure.retryAfterMs : null;
  const delay =
    retryAfter === null
      ? Math.round(input.random * backoff)
      : retryAfter + Math.round(input.random * policy.initialDelayMs);
  if (input.elapsedMs + delay > policy.maxElapsedMs) return null;
  return delay;
}
