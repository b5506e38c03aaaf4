import { describe, expect, it } from 'vitest';
import { BACKOFF_DEFAULT } from '../defaults.ts';
import { failureTarget, shouldDie } from './retry.ts';

const job = (attempts: number, maxAttempts: number) => ({
  attempts,
  maxAttempts,
  backoff: { ...BACKOFF_DEFAULT, jitter: 0 },
});

describe('failureTarget', () => {
  it('delays a failed attempt by its backoff while attempts remain', () => {
    expect(failureTarget({ job: job(1, 3), now: 10_000, random: 0.5, retry: true, timedOut: false })).toEqual({
      state: 'delayed',
      runAt: 11_000,
    });
    expect(failureTarget({ job: job(2, 3), now: 10_000, random: 0.5, retry: true, timedOut: false })).toEqual({
      state: 'delayed',
      runAt: 12_000,
    });
  });

  it('makes the job dead with max-attempts at its last attempt', () => {
    expect(failureTarget({ job: job(3, 3), now: 0, random: 0.5, retry: true, timedOut: false })).toEqual({
      state: 'dead',
      reason: 'max-attempts',
    });
  });

  it('names timeout as the reason when the last attempt ran past timeoutMs', () => {
    expect(failureTarget({ job: job(1, 1), now: 0, random: 0.5, retry: true, timedOut: true })).toEqual({
      state: 'dead',
      reason: 'timeout',
    });
  });

  it('a consumer failing the job for good makes it dead as rejected whatever attempts remain', () => {
    expect(failureTarget({ job: job(1, 10), now: 0, random: 0.5, retry: false, timedOut: false })).toEqual({
      state: 'dead',
      reason: 'rejected',
    });
  });

  it('a zero backoff sends the job straight back to waiting', () => {
    const zero = { attempts: 1, maxAttempts: 3, backoff: { ...BACKOFF_DEFAULT, initialMs: 0 } };
    expect(failureTarget({ job: zero, now: 0, random: 0.5, retry: true, timedOut: false })).toEqual({
      state: 'waiting',
      placement: 'back',
    });
  });

  it('shouldDie is true exactly from maxAttempts on', () => {
    expect([shouldDie({ attempts: 4, maxAttempts: 5 }), shouldDie({ attempts: 5, maxAttempts: 5 })]).toEqual([
      false,
      true,
    ]);
  });
});
