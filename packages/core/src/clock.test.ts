import { describe, expect, it } from 'vitest';
import { manualClock, systemClock } from './clock.ts';

describe('manualClock', () => {
  it('fires due timers in deadline order, with now at each deadline', () => {
    const clock = manualClock(1000);
    const fired: Array<[string, number]> = [];
    clock.setTimer(30, () => fired.push(['b', clock.now()]));
    clock.setTimer(10, () => fired.push(['a', clock.now()]));
    clock.setTimer(100, () => fired.push(['c', clock.now()]));
    clock.advance(50);
    expect(fired).toEqual([
      ['a', 1010],
      ['b', 1030],
    ]);
    expect(clock.now()).toBe(1050);
    expect(clock.pendingTimers()).toBe(1);
  });

  it('a cancelled timer never fires', () => {
    const clock = manualClock(0);
    let fired = false;
    clock.setTimer(5, () => (fired = true)).cancel();
    clock.advance(10);
    expect(fired).toBe(false);
    expect(clock.pendingTimers()).toBe(0);
  });

  it('timers set by a firing timer fire in the same advance when due', () => {
    const clock = manualClock(0);
    const fired: number[] = [];
    clock.setTimer(5, () => clock.setTimer(5, () => fired.push(clock.now())));
    clock.advance(20);
    expect(fired).toEqual([10]);
  });

  it('set never moves time backwards', () => {
    const clock = manualClock(100);
    clock.set(50);
    expect(clock.now()).toBe(100);
  });
});

describe('systemClock', () => {
  it('reads the wall time floored to the millisecond, never behind Date.now()', () => {
    const clock = systemClock();
    for (let i = 0; i < 2_000; i += 1) {
      const before = Date.now();
      const now = clock.now();
      const after = Date.now();
      expect(now).toBeGreaterThanOrEqual(before);
      expect(now).toBeLessThanOrEqual(after + 1);
    }
  });
});
