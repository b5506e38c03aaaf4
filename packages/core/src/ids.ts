/**
 * Job ids and lease tokens. Ids are ULIDs: time-sortable, 26 characters, monotonic within one
 * millisecond of the engine's clock. A lease token is 96 fresh random bits per lease, so a stale
 * token can never be guessed or match a later lease.
 */
import { monotonicFactory } from 'ulid';

export type IdFactory = (now: number) => string;

export function ulidFactory(): IdFactory {
  const next = monotonicFactory();
  return (now) => next(now);
}

const TOKEN_BYTES = 12;

export function newLeaseToken(): string {
  const bytes = new Uint8Array(TOKEN_BYTES);
  crypto.getRandomValues(bytes);
  let out = '';
  for (const b of bytes) out += b.toString(16).padStart(2, '0');
  return out;
}

export function newLeaseTokens(count: number): string[] {
  return Array.from({ length: count }, newLeaseToken);
}
