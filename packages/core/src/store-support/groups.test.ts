/**
 * GroupRingScan as both SQL stores drive it: chunks in turn order, held groups skipped in place,
 * stopping at `limit` open groups or the ring's end, and the throttle of a queue that gave nothing.
 */
import { describe, expect, test } from 'vitest';
import { GROUP_LANE, GroupRingScan, type RingRow } from './groups.ts';

const row = (group: string, turn: number, held = 0): RingRow => ({
  group_key: group,
  turn: String(turn),
  held,
  rate_start: null,
  rate_used: 0,
});

describe('GroupRingScan', () => {
  test('keeps the groups with room in ring order until `limit`, and where to read on', () => {
    const scan = new GroupRingScan({ concurrency: 1, rateMax: null, ratePerMs: null }, 2, 0);
    expect(scan.more).toBe(true);
    scan.take([row('a', 1, 1), row('b', 2)], 2);
    expect(scan.more).toBe(true);
    expect(scan.after).toBe(2);
    scan.take([row(GROUP_LANE, 3, 5), row('c', 4)], 2);
    expect(scan.open.map((g) => [g.group, g.room])).toEqual([
      ['b', 1],
      [GROUP_LANE, Infinity],
    ]);
    expect(scan.more).toBe(false);
    expect(scan.after).toBe(3);
    expect(scan.scanned).toBe(3);
  });

  test('a ring that ends with every group held: the throttle says why', () => {
    const held = new GroupRingScan({ concurrency: 1, rateMax: null, ratePerMs: null }, 4, 0);
    held.take([row('a', 1, 1)], 2);
    expect(held.more).toBe(false);
    expect(held.open).toEqual([]);
    expect(held.throttle()).toEqual({ retryInMs: null });

    const rated = new GroupRingScan({ concurrency: null, rateMax: 1, ratePerMs: 1000 }, 4, 1_250);
    rated.take([{ group_key: 'a', turn: 1, held: 0, rate_start: '1000', rate_used: '1' }], 2);
    expect(rated.open).toEqual([]);
    expect(rated.throttle()).toEqual({ retryInMs: 750 });
  });
});
