/**
 * Failed authentications per client address, as a token bucket: `burst` failures at once, then
 * one more per `refillMs`. An address out of budget is refused (429) for any request whose token
 * is not already known good, so a guesser is slowed while authenticated traffic never waits. The
 * map holds at most `maxAddresses` (the oldest is dropped first), so a flood of addresses cannot
 * grow it without bound.
 */
import { dropOldestPast } from './bounded-map.ts';

export interface FailureLimiterOptions {
  readonly burst: number;
  readonly refillMs: number;
  readonly maxAddresses: number;
}

interface Bucket {
  tokens: number;
  at: number;
}

export class FailureLimiter {
  readonly #options: FailureLimiterOptions;
  readonly #buckets = new Map<string, Bucket>();

  constructor(options: FailureLimiterOptions) {
    this.#options = options;
  }

  #refilled(address: string, now: number): Bucket | undefined {
    const bucket = this.#buckets.get(address);
    if (bucket === undefined) return undefined;
    const gained = Math.floor((now - bucket.at) / this.#options.refillMs);
    if (gained > 0) {
      bucket.tokens = Math.min(this.#options.burst, bucket.tokens + gained);
      bucket.at += gained * this.#options.refillMs;
    }
    if (bucket.tokens >= this.#options.burst) this.#buckets.delete(address);
    return bucket;
  }

  /** Whether any address has failed lately (false: every address may fail now, without a look-up). */
  get tracking(): boolean {
    return this.#buckets.size > 0;
  }

  /** Milliseconds until `address` may fail again, or 0 when it may now. */
  blockedFor(address: string, now: number): number {
    const bucket = this.#refilled(address, now);
    return bucket === undefined || bucket.tokens > 0 ? 0 : bucket.at + this.#options.refillMs - now;
  }

  failed(address: string, now: number): void {
    const bucket = this.#refilled(address, now);
    if (bucket === undefined) {
      this.#buckets.set(address, { tokens: this.#options.burst - 1, at: now });
      dropOldestPast(this.#buckets, this.#options.maxAddresses);
      return;
    }
    bucket.tokens = Math.max(0, bucket.tokens - 1);
    if (!this.#buckets.has(address)) this.#buckets.set(address, bucket);
  }
}

/** The limiter of failed authentications: `burst` at once (default 20), then one more per second. */
export function authFailureLimiter(burst = 20): FailureLimiter {
  return new FailureLimiter({ burst, refillMs: 1000, maxAddresses: 10_000 });
}
