import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { backoffDelay } from './backoff.ts';

const exp = { type: 'exponential', initialMs: 1000, maxMs: 3_600_000, factor: 2, jitter: 0 } as const;

describe('backoffDelay', () => {
  it('doubles from the initial delay without jitter', () => {
    expect([1, 2, 3, 4].map((n) => backoffDelay(exp, n, 0.5))).toEqual([1000, 2000, 4000, 8000]);
  });

  it('caps at maxMs', () => {
    expect(backoffDelay(exp, 40, 0.5)).toBe(3_600_000);
  });

  it('a zero initial delay stays zero at any attempt (no 0 × Infinity)', () => {
    expect(backoffDelay({ ...exp, initialMs: 0, factor: 100 }, 5000, 0.5)).toBe(0);
    expect(backoffDelay({ ...exp, factor: 100 }, 5000, 0.5)).toBe(3_600_000);
  });

  it('fixed backoff ignores the attempt number', () => {
    expect(backoffDelay({ ...exp, type: 'fixed', initialMs: 500 }, 7, 0.5)).toBe(500);
  });

  it('jitter spreads the delay within ±jitter of the base', () => {
    const policy = { ...exp, jitter: 0.2 };
    expect(backoffDelay(policy, 1, 0)).toBe(800);
    expect(backoffDelay(policy, 1, 0.999999)).toBe(1200);
  });

  it('never returns a negative or unbounded delay', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 10_000 }),
        fc.integer({ min: 0, max: 1_000_000 }),
        fc.integer({ min: 0, max: 1_000_000 }),
        fc.double({ min: 1, max: 100, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 0.9999, noNaN: true }),
        (attempt, initialMs, maxMs, factor, jitter, random) => {
          const d = backoffDelay({ type: 'exponential', initialMs, maxMs, factor, jitter }, attempt, random);
          return Number.isFinite(d) && d >= 0 && d <= Math.round(maxMs * (1 + jitter));
        },
      ),
    );
  });
});
