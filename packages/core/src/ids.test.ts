import { describe, expect, it } from 'vitest';
import { newLeaseToken, newLeaseTokens } from './ids.ts';

describe('lease tokens', () => {
  it('are 24 hex characters, and a batch holds no repeats', () => {
    const tokens = newLeaseTokens(1000);
    expect(tokens).toHaveLength(1000);
    expect(tokens.every((t) => /^[0-9a-f]{24}$/.test(t))).toBe(true);
    expect(new Set(tokens).size).toBe(1000);
    expect(newLeaseToken()).toMatch(/^[0-9a-f]{24}$/);
  });
});
