import { describe, expect, it } from 'vitest';
import { InvalidArgumentError, type ScheduleSpec } from '@docket/protocol';
import { firstTick, planFire } from './ticks.ts';
import { parseEvery, sameSpec, scheduleSpec } from './spec.ts';

const T = Date.UTC(2026, 0, 1);

function spec(overrides: Partial<ScheduleSpec>): ScheduleSpec {
  return {
    queue: 'q',
    cron: null,
    timezone: null,
    everyMs: null,
    data: null,
    options: {},
    startAt: null,
    endAt: null,
    limit: null,
    catchUp: 'last',
    ...overrides,
  };
}

describe('schedule ticks', () => {
  it('an interval ticks from startAt, or from now + everyMs without one', () => {
    expect(firstTick(spec({ everyMs: 2_000 }), T, 0)).toBe(T + 2_000);
    expect(firstTick(spec({ everyMs: 2_000, startAt: T + 500 }), T, 0)).toBe(T + 500);
    expect(firstTick(spec({ everyMs: 2_000, startAt: T - 3_000 }), T, 0)).toBe(T + 1_000);
  });

  it('a cron with a seconds field ticks on its seconds; five fields tick on minutes', () => {
    expect(firstTick(spec({ cron: '*/5 * * * * *' }), T + 1_200, 0)).toBe(T + 5_000);
    expect(firstTick(spec({ cron: '*/5 * * * * *' }), T + 5_000, 0)).toBe(T + 5_000);
    expect(firstTick(spec({ cron: '0 * * * *' }), T + 1, 0)).toBe(T + 3_600_000);
  });

  it('a cron reads wall time in its time zone', () => {
    // 09:00 in Berlin in January is 08:00 UTC.
    expect(firstTick(spec({ cron: '0 9 * * *', timezone: 'Europe/Berlin' }), T, 0)).toBe(T + 8 * 3_600_000);
  });

  it('across the spring DST gap a fixed-time cron fires once, at the first valid time', () => {
    // Europe/Berlin skips 02:00–03:00 on 2026-03-29: 02:30 does not exist that day.
    const from = Date.UTC(2026, 2, 28, 12);
    const tick = firstTick(spec({ cron: '30 2 * * *', timezone: 'Europe/Berlin' }), from, 0);
    expect(tick).toBe(Date.UTC(2026, 2, 29, 1));
  });

  it('endAt and limit finish a schedule', () => {
    expect(firstTick(spec({ everyMs: 1_000, endAt: T + 1_000 }), T, 0)).toBeNull();
    expect(firstTick(spec({ everyMs: 1_000, limit: 2 }), T, 2)).toBeNull();
    const plan = planFire(spec({ everyMs: 1_000, limit: 3 }), T + 1_000, 2, T + 1_000);
    expect(plan).toEqual({ ticks: [T + 1_000], nextFireAt: null });
  });

  it('an on-time fire covers its one tick and plans the next', () => {
    expect(planFire(spec({ everyMs: 1_000 }), T, 0, T + 3)).toEqual({ ticks: [T], nextFireAt: T + 1_000 });
    expect(planFire(spec({ cron: '* * * * * *' }), T, 0, T + 3)).toEqual({ ticks: [T], nextFireAt: T + 1_000 });
  });

  it('after an outage, catchUp last fires the latest missed tick, all fires each, none skips them', () => {
    const missed = (catchUp: ScheduleSpec['catchUp'], s: Partial<ScheduleSpec>) =>
      planFire(spec({ ...s, catchUp }), T + 1_000, 0, T + 10_500);
    for (const s of [{ everyMs: 1_000 }, { cron: '* * * * * *' }]) {
      expect(missed('last', s)).toEqual({ ticks: [T + 10_000], nextFireAt: T + 11_000 });
      expect(missed('all', s).ticks).toEqual(Array.from({ length: 10 }, (_, i) => T + (i + 1) * 1_000));
      expect(missed('none', s)).toEqual({ ticks: [T + 10_000], nextFireAt: T + 11_000 });
    }
    for (const s of [{ everyMs: 60_000 }, { cron: '0 * * * * *' }]) {
      const late = planFire(spec({ ...s, catchUp: 'none' }), T + 60_000, 0, T + 100_000);
      expect(late).toEqual({ ticks: [], nextFireAt: T + 120_000 });
    }
  });

  it('catchUp all is bounded and keeps the latest ticks, and limit keeps the earliest', () => {
    const plan = planFire(spec({ everyMs: 1_000, catchUp: 'all' }), T, 0, T + 5_000_000);
    expect(plan.ticks).toHaveLength(1_000);
    expect(plan.ticks.at(-1)).toBe(T + 5_000_000);
    const limited = planFire(spec({ everyMs: 1_000, catchUp: 'all', limit: 3 }), T, 0, T + 9_000);
    expect(limited).toEqual({ ticks: [T, T + 1_000, T + 2_000], nextFireAt: null });
  });
});

describe('schedule specs', () => {
  const refused = (input: object, field: string) => {
    let error: unknown;
    try {
      scheduleSpec(input as never);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect((error as InvalidArgumentError).details).toMatchObject({ field });
  };

  it('refuses bad input naming the field', () => {
    refused({ queue: 'q' }, 'cron');
    refused({ queue: 'q', cron: 'not a cron' }, 'cron');
    refused({ queue: 'q', cron: '* * * * *', every: '2s' }, 'every');
    refused({ queue: 'q', every: '2s', everyMs: 2_000 }, 'everyMs');
    refused({ queue: 'q', every: 'soon' }, 'every');
    refused({ queue: 'q', every: '10ms' }, 'every');
    refused({ queue: 'q', everyMs: 10 }, 'schedule.everyMs');
    refused({ queue: 'q', cron: '* * * * *', timezone: 'Mars/Olympus' }, 'timezone');
    refused({ queue: 'q', every: '2s', timezone: 'UTC' }, 'timezone');
    refused({ queue: 'q', every: '2s', startAt: 10, endAt: 10 }, 'endAt');
    refused({ queue: 'bad queue', every: '2s' }, 'queue');
    refused({ queue: 'q', every: '2s', options: { dedupKey: 'x' } }, 'schedule.options.dedupKey');
    refused({ queue: 'q', every: '2s', catchUp: 'some' }, 'schedule.catchUp');
  });

  it('normalises a valid input with defaults', () => {
    expect(parseEvery('2s')).toBe(2_000);
    const made = scheduleSpec({ queue: 'q', every: '5m', data: { a: 1 } });
    expect(made).toMatchObject({ everyMs: 300_000, cron: null, catchUp: 'last', data: { a: 1 }, options: {} });
    expect(sameSpec(made, JSON.parse(JSON.stringify({ ...made, options: {}, queue: 'q' })) as ScheduleSpec)).toBe(true);
  });
});
