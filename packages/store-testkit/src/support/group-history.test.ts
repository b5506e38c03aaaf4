import { describe, expect, it } from 'vitest';
import { checkGroupHistory } from './group-history.ts';

const groups = new Map([
  ['a', ['a1', 'a2']],
  ['b', ['b1']],
]);

describe('checkGroupHistory', () => {
  it('accepts a FIFO history', () => {
    const phases = [
      { acked: [], demand: 3, granted: ['a1', 'b1'] },
      { acked: ['a1', 'b1'], demand: 3, granted: ['a2'] },
    ];
    expect(checkGroupHistory({ groupConcurrency: 1, groupRateMax: null, groups, phases })).toBeNull();
  });

  it('finds a group holding more than groupConcurrency', () => {
    const phases = [{ acked: [], demand: 3, granted: ['a1', 'a2'] }];
    expect(checkGroupHistory({ groupConcurrency: 1, groupRateMax: null, groups, phases })).toMatch(/holds 2 jobs/);
  });

  it('finds a group leased out of order', () => {
    const phases = [{ acked: [], demand: 1, granted: ['a2'] }];
    expect(checkGroupHistory({ groupConcurrency: 2, groupRateMax: null, groups, phases })).toMatch(/left its order/);
  });

  it('finds a phase that granted less than any order leaves', () => {
    const phases = [{ acked: [], demand: 3, granted: ['a1'] }];
    expect(checkGroupHistory({ groupConcurrency: 1, groupRateMax: null, groups, phases })).toMatch(/at least 2/);
  });

  it('finds a group leased past its rate in one window', () => {
    const phases = [{ acked: [], demand: 3, granted: ['a1', 'a2'] }];
    expect(checkGroupHistory({ groupConcurrency: null, groupRateMax: 1, groups, phases })).toMatch(/more than 1/);
  });

  it('finds a job leased twice', () => {
    const phases = [
      { acked: [], demand: 1, granted: ['b1'] },
      { acked: ['b1'], demand: 1, granted: ['b1'] },
    ];
    expect(checkGroupHistory({ groupConcurrency: 1, groupRateMax: null, groups, phases })).toMatch(/second time/);
  });
});
