import { describe, expect, it } from 'vitest';
import { purgeResetsTotals } from './totals.ts';

describe('purgeResetsTotals', () => {
  it('resets for a purge of every state or of both finished states', () => {
    expect(purgeResetsTotals(null)).toBe(true);
    expect(purgeResetsTotals(['dead', 'completed'])).toBe(true);
    expect(purgeResetsTotals(['waiting', 'delayed', 'completed', 'dead'])).toBe(true);
  });

  it('keeps the totals for a purge of the backlog or of one finished state', () => {
    expect(purgeResetsTotals(['waiting', 'delayed'])).toBe(false);
    expect(purgeResetsTotals(['completed'])).toBe(false);
    expect(purgeResetsTotals(['dead', 'active', 'waiting', 'delayed'])).toBe(false);
  });
});
