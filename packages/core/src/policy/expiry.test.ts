import { describe, expect, it } from 'vitest';
import { attemptTimedOut, isExpired } from './expiry.ts';
import { placementTarget } from './placement.ts';

describe('expiry and placement policies', () => {
  it('an unfinished job is expired from expiresAt on', () => {
    expect(isExpired({ state: 'waiting', expiresAt: 100 }, 99)).toBe(false);
    expect(isExpired({ state: 'active', expiresAt: 100 }, 100)).toBe(true);
  });

  it('finished jobs and jobs without expiresAt never expire', () => {
    expect(isExpired({ state: 'completed', expiresAt: 100 }, 500)).toBe(false);
    expect(isExpired({ state: 'waiting', expiresAt: null }, 500)).toBe(false);
  });

  it('an attempt times out at attemptStartedAt + timeoutMs', () => {
    expect(attemptTimedOut({ timeoutMs: 50, attemptStartedAt: 1000 }, 1049)).toBe(false);
    expect(attemptTimedOut({ timeoutMs: 50, attemptStartedAt: 1000 }, 1050)).toBe(true);
    expect(attemptTimedOut({ timeoutMs: null, attemptStartedAt: 1000 }, 9999)).toBe(false);
  });

  it('placement maps front and back to waiting and delay to delayed', () => {
    expect(placementTarget('front', 10, 0)).toEqual({ state: 'waiting', placement: 'front' });
    expect(placementTarget('back', 10, 0)).toEqual({ state: 'waiting', placement: 'back' });
    expect(placementTarget('delay', 10, 5)).toEqual({ state: 'delayed', runAt: 15 });
  });
});
