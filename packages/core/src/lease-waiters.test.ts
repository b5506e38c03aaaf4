import { describe, expect, it } from 'vitest';
import { manualClock } from './clock.ts';
import { LeaseWaiters } from './lease-waiters.ts';

describe('LeaseWaiters', () => {
  it('a wake on one of the queues ends the wait as woken', async () => {
    const waiters = new LeaseWaiters(manualClock());
    const wait = waiters.wait(waiters.snapshot(['a', 'b']), 1000);
    waiters.wake('b');
    await expect(wait).resolves.toBe('woken');
    expect(waiters.size()).toBe(0);
  });

  it('a wake between snapshot and wait is not lost', async () => {
    const waiters = new LeaseWaiters(manualClock());
    const snapshot = waiters.snapshot(['a']);
    waiters.wake('a');
    await expect(waiters.wait(snapshot, 1000)).resolves.toBe('woken');
  });

  it('times out on the clock', async () => {
    const clock = manualClock();
    const waiters = new LeaseWaiters(clock);
    const wait = waiters.wait(waiters.snapshot(['a']), 1000);
    clock.advance(999);
    expect(waiters.size()).toBe(1);
    clock.advance(1);
    await expect(wait).resolves.toBe('timeout');
  });

  it('wakes at most count waiters, oldest first', async () => {
    const waiters = new LeaseWaiters(manualClock());
    const outcomes: string[] = [];
    const w1 = waiters.wait(waiters.snapshot(['q']), 1000).then((o) => outcomes.push(`1:${o}`));
    const w2 = waiters.wait(waiters.snapshot(['q']), 1000).then((o) => outcomes.push(`2:${o}`));
    waiters.wake('q', 1);
    await w1;
    expect(outcomes).toEqual(['1:woken']);
    expect(waiters.size()).toBe(1);
    waiters.closeAll();
    await w2;
    expect(outcomes).toEqual(['1:woken', '2:closed']);
  });

  it('an abort ends the wait and removes the waiter', async () => {
    const waiters = new LeaseWaiters(manualClock());
    const controller = new AbortController();
    const wait = waiters.wait(waiters.snapshot(['q']), 1000, controller.signal);
    controller.abort();
    await expect(wait).resolves.toBe('aborted');
    expect(waiters.size()).toBe(0);
  });

  it('refuses to park after closeAll', async () => {
    const waiters = new LeaseWaiters(manualClock());
    waiters.closeAll();
    await expect(waiters.wait(waiters.snapshot(['q']), 1000)).resolves.toBe('closed');
  });
});
