/**
 * The token cache of one server: token records by id, each read from the store at most once per
 * `ttlMs` (concurrent misses share one read), so a token revoked on any server over a shared
 * backend stops working here within `ttlMs` plus one store read. A missing token is cached too
 * (a burst of bad tokens costs one read per id and TTL). Last-used times are written back at most
 * once per `touchEveryMs` per token, fire-and-forget: a lost touch only leaves lastUsedAt older.
 *
 * Invariant: an entry is never served older than `ttlMs`; the map holds at most `maxEntries`
 * (the oldest is dropped first).
 */
import type { TokenRecord } from '@docket/core';
import { dropOldestPast } from './bounded-map.ts';
import type { TokenStore } from './token-store.ts';

interface Entry {
  readonly record: Promise<TokenRecord | null>;
  readonly readAt: number;
  /** The record once read: undefined while the read is pending. */
  settled: TokenRecord | null | undefined;
}

export interface TokenCacheOptions {
  readonly tokens: TokenStore;
  readonly now: () => number;
  readonly ttlMs: number;
  readonly touchEveryMs: number;
  readonly maxEntries: number;
  readonly onTouchError: (err: unknown) => void;
}

export class TokenCache {
  readonly #options: TokenCacheOptions;
  readonly #entries = new Map<string, Entry>();
  readonly #touchedAt = new Map<string, number>();

  constructor(options: TokenCacheOptions) {
    this.#options = options;
  }

  /** The record of `id` as the store had it at most `ttlMs` ago. */
  get(id: string): Promise<TokenRecord | null> {
    const now = this.#options.now();
    const entry = this.#entries.get(id);
    if (entry !== undefined && now - entry.readAt < this.#options.ttlMs) return entry.record;
    const record = this.#options.tokens.tokenGet({ id });
    const fresh: Entry = { record, readAt: now, settled: undefined };
    this.#entries.delete(id);
    this.#entries.set(id, fresh);
    record.then(
      (value) => (fresh.settled = value),
      () => this.#entries.delete(id),
    );
    dropOldestPast(this.#entries, this.#options.maxEntries);
    return record;
  }

  /**
   * The record of `id` when one read within `ttlMs` has settled (null: no such token), without
   * a promise; undefined when only `get` can answer (never read, stale, or still reading).
   */
  peek(id: string, now: number): TokenRecord | null | undefined {
    const entry = this.#entries.get(id);
    return entry !== undefined && now - entry.readAt < this.#options.ttlMs ? entry.settled : undefined;
  }

  /** Whether `id` was read as an existing token within the TTL (without reading the store). */
  knownValid(id: string, now: number): boolean {
    return (this.peek(id, now) ?? null) !== null;
  }

  /** Drops `id` so the next get reads the store (after a revoke on this server). */
  forget(id: string): void {
    this.#entries.delete(id);
  }

  /** Records a use of `id` at `now`, writing it to the store when the last write is old enough. */
  used(id: string, now: number): void {
    const last = this.#touchedAt.get(id);
    if (last !== undefined && now - last < this.#options.touchEveryMs) return;
    this.#touchedAt.delete(id);
    this.#touchedAt.set(id, now);
    dropOldestPast(this.#touchedAt, this.#options.maxEntries);
    this.#options.tokens.tokenTouch({ id, lastUsedAt: now }).catch(this.#options.onTouchError);
  }
}
