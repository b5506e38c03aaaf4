import { describe, expect, it } from 'vitest';
import { DEFAULT_RETRY, nextDelay, parseRetryAfter } from './http-retry.ts';

const base = { policy: DEFAULT_RETRY, idempotent: true, attempt: 1, elapsedMs: 0, random: 0.5 } as const;

describe('retry policy', () => {
  it('reads Retry-After as seconds or as an HTTP date', () => {
    const now = Date.parse('2030-01-01T00:00:00Z');
    expect(parseRetryAfter('2', now)).toBe(2_000);
    expect(parseRetryAfter('Tue, 01 Jan 2030 00:00:03 GMT', now)).toBe(3_000);
    expect(parseRetryAfter('Mon, 31 Dec 2029 00:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeNull();
    expect(parseRetryAfter(null, now)).toBeNull();
  });

  it('backs off exponentially with full jitter, capped', () => {
    expect(nextDelay({ ...base, failure: { kind: 'unknown-outcome' } })).toBe(50);
    expect(nextDelay({ ...base, attempt: 3, failure: { kind: 'unknown-outcome' } })).toBe(200);
    const capped = { ...base, policy: { ...DEFAULT_RETRY, maxAttempts: 100 }, attempt: 20, random: 1 };
    expect(nextDelay({ ...capped, failure: { kind: 'unknown-outcome' } })).toBe(DEFAULT_RETRY.maxDelayMs);
  });

  it('waits at least Retry-After', () => {
    expect(nextDelay({ ...base, random: 0, failure: { kind: 'refused', retryAfterMs: 2_000 } })).toBe(2_000);
  });

  it('gives up when out of attempts or time, on final answers, and on unknown outcomes of non-idempotent calls', () => {
    const refused = { kind: 'refused', retryAfterMs: null } as const;
    expect(nextDelay({ ...base, attempt: DEFAULT_RETRY.maxAttempts, failure: refused })).toBeNull();
    expect(nextDelay({ ...base, elapsedMs: DEFAULT_RETRY.maxElapsedMs, failure: refused })).toBeNull();
    expect(nextDelay({ ...base, failure: { kind: 'final' } })).toBeNull();
    expect(nextDelay({ ...base, idempotent: false, failure: { kind: 'unknown-outcome' } })).toBeNull();
    expect(nextDelay({ ...base, idempotent: false, failure: refused })).toBe(50);
  });
});
