import { describe, expect, it } from 'vitest';
import { newLeaseToken, newLeaseTokens, ulidFactory } from './ids.ts';

describe('lease tokens', () => {
  it('are 24 hex characters, and a batch holds no repeats', () => {
    const tokens = newLeaseTokens(1000);
    expect(tokens).toHaveLength(1000);
    expect(tokens.every((t) => /^[0-9a-f]{24}$/.test(t))).toBe(true);
    expect(new Set(tokens).size).toBe(1000);
    expect(newLeaseToken()).toMatch(/^[0-9a-f]{24}$/);
  });
});

describe('job ids', () => {
  it('are ULIDs, sorted by time and strictly increasing within one millisecond', () => {
    const next = ulidFactory();
    const sameMs = Array.from({ length: 5000 }, () => next(1_700_000_000_000));
    const later = next(1_700_000_000_001);
    expect(sameMs.every((id) => /^[0-9A-HJKMNP-TV-Z]{26}$/.test(id))).toBe(true);
    expect([...sameMs].sort()).toEqual(sameMs);
    expect(new Set(sameMs).size).toBe(sameMs.length);
    expect(later > (sameMs.at(-1) ?? '')).toBe(true);
  });

  it('draw fresh randomness for each new millisecond, across the 4 KiB random buffer', () => {
    const next = ulidFactory();
    const ids = Array.from({ length: 2000 }, (_, i) => next(1_700_000_000_000 + i));
    const randomParts = new Set(ids.map((id) => id.slice(10)));
    expect(randomParts.size).toBe(ids.length);
    const firstChars = new Set(ids.map((id) => id[10]));
    expect(firstChars.size).toBe(32);
  });
});
