/** The flow-control history checker refuses what no correct store could produce, and only that. */
import { describe, expect, it } from 'vitest';
import { checkFlowHistory } from './flow-history.ts';

const phase = { waiting: 5, held: 0, acked: 0, demand: 4 };

describe('checkFlowHistory', () => {
  it('refuses a phase that grants more than a concurrency limit leaves', () => {
    expect(checkFlowHistory({ concurrency: 2, rateMax: null }, [{ ...phase, granted: ['a', 'b', 'c'] }])).toMatch(
      /granted 3, expected 2 to 2/,
    );
  });

  it('refuses a phase that grants less than every order of its calls would', () => {
    expect(checkFlowHistory({ concurrency: null, rateMax: 3 }, [{ ...phase, granted: ['a'] }])).toMatch(
      /granted 1, expected 3 to 3/,
    );
  });

  it('allows what an ack landing first or last could give, and refuses a job leased twice', () => {
    const held = { waiting: 3, held: 1, acked: 1, demand: 2 };
    expect(checkFlowHistory({ concurrency: 1, rateMax: null }, [{ ...held, granted: [] }])).toBeNull();
    expect(checkFlowHistory({ concurrency: 1, rateMax: null }, [{ ...held, granted: ['a'] }])).toBeNull();
    const twice = [
      { ...phase, granted: ['a'] },
      { ...phase, granted: ['a'] },
    ];
    expect(checkFlowHistory({ concurrency: null, rateMax: 1 }, twice)).toMatch(/leased a second time/);
  });
});
