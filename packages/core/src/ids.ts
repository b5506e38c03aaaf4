/**
 * Job ids and lease tokens. Ids are ULIDs: time-sortable, 26 characters, monotonic within one
 * millisecond of the engine's clock. A lease token is 96 fresh random bits per lease, so a stale
 * token can never be guessed or match a later lease.
 */
import { monotonicFactory } from 'ulid';
import { bufferedRandom } from '@docket/protocol';

export type IdFactory = (now: number) => string;

export function ulidFactory(): IdFactory {
  const next = monotonicFactory(bufferedRandom());
  return (now) => next(now);
}

const TOKEN_BYTES = 12;
const HEX = Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, '0'));

function hex(bytes: Uint8Array, start: number): string {
  let out = '';
  for (let i = start; i < start + TOKEN_BYTES; i++) out += HEX[bytes[i] ?? 0] ?? '00';
  return out;
}

export function newLeaseToken(): string {
  return newLeaseTokens(1)[0] ?? '';
}

/** `count` tokens from one draw of the system's CSPRNG (one call per lease, not per job). */
export function newLeaseTokens(count: number): string[] {
  const bytes = new Uint8Array(TOKEN_BYTES * count);
  crypto.getRandomValues(bytes);
  return Array.from({ length: count }, (_, i) => hex(bytes, i * TOKEN_BYTES));
}
