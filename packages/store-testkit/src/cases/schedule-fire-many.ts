/**
 * scheduleFireMany, the fires of one scheduler pass in one step: every fire applies or not on
 * its own, exactly as scheduleFire would. A stale version, a full queue or a tick already
 * enqueued affects that fire only, never another fire of the batch.
 */
import { describe, expect } from 'vitest';
import { QueueFullError } from '@docket/protocol';
import type { ScheduleFireOutcome, ScheduleFireParams, ScheduleFireResult, Store } from '@docket/core';
import type { CaseContext } from '../case-registry.ts';
import { SCHEDULE_QUEUE, scheduleSpec, T0, tickJob } from '../support/schedules.ts';

const TICK = T0 + 1_000;

function tickFire(name: string, version: number, queue = SCHEDULE_QUEUE): ScheduleFireParams {
  return {
    name,
    jobs: [tickJob(name, TICK, TICK + 5, queue)],
    lastFireAt: TICK,
    advance: { version, nextFireAt: TICK + 1_000, fired: 1 },
    now: TICK + 5,
  };
}

function resultOf(outcome: ScheduleFireOutcome | undefined): ScheduleFireResult {
  if (outcome === undefined) throw new Error('expected an outcome');
  if (!outcome.ok) throw new Error(`expected an applied outcome, got ${outcome.error.message}`);
  return outcome.result;
}

async function put(store: Store, name: string, queue = SCHEDULE_QUEUE): Promise<void> {
  await store.schedulePut({ name, spec: scheduleSpec({ queue }), paused: false, nextFireAt: TICK, now: T0 });
}

async function dedupKeys(store: Store, queue = SCHEDULE_QUEUE): Promise<string[]> {
  const page = await store.jobList({ queue, state: null, limit: 100, cursor: null });
  return page.items.map((job) => job.dedupKey ?? '').sort();
}

export function registerScheduleFireManyCases(ctx: CaseContext): void {
  const { test } = ctx;

  describe('scheduleFireMany', () => {
    test('a fire planned from an old version changes nothing and leaves the other fires of the batch applied', async () => {
      const store = ctx.store();
      for (const name of ['a', 'b', 'c']) await put(store, name);
      await put(store, 'b');
      const outcomes = await store.scheduleFireMany({ fires: [tickFire('a', 1), tickFire('b', 1), tickFire('c', 1)] });
      expect(outcomes).toHaveLength(3);
      const [a, b, c] = outcomes.map(resultOf);
      expect(a).toMatchObject({ fired: true, schedule: { name: 'a', version: 2, fires: 1, nextFireAt: TICK + 1_000 } });
      expect(b).toMatchObject({ fired: false, schedule: { name: 'b', version: 2, fires: 0, nextFireAt: TICK } });
      expect(c).toMatchObject({ fired: true, schedule: { name: 'c', version: 2, fires: 1 } });
      if (!a?.fired || !c?.fired) throw new Error('expected a and c to fire');
      expect(a.results.map((r) => r.created)).toEqual([true]);
      expect(c.results[0]?.job).toMatchObject({ dedupKey: `schedule:c:${TICK}`, state: 'waiting' });
      expect(await dedupKeys(store)).toEqual([`schedule:a:${TICK}`, `schedule:c:${TICK}`]);
      expect(await store.scheduleGet({ name: 'b' })).toMatchObject({ version: 2, fires: 0, lastFireAt: null });
    });

    test('a schedule fired twice in one batch from the same version fires once, the first', async () => {
      const store = ctx.store();
      for (const name of ['a', 'b']) await put(store, name);
      const outcomes = await store.scheduleFireMany({ fires: [tickFire('a', 1), tickFire('b', 1), tickFire('a', 1)] });
      const [first, b, again] = outcomes.map(resultOf);
      expect(first).toMatchObject({ fired: true, schedule: { name: 'a', version: 2, fires: 1 } });
      expect(b).toMatchObject({ fired: true, schedule: { name: 'b', version: 2, fires: 1 } });
      expect(again).toMatchObject({ fired: false, schedule: { name: 'a', version: 2, fires: 1 } });
      expect(await dedupKeys(store)).toEqual([`schedule:a:${TICK}`, `schedule:b:${TICK}`]);
    });

    const bounds = [
      ['maxWaiting', { maxWaiting: 1 }],
      ['maxBytes', { maxBytes: 1 }],
    ] as const;
    for (const [bound, config] of bounds)
      test(`a fire into a queue full by ${bound} is refused alone with QueueFullError; the others apply`, async () => {
        const store = ctx.store();
        await store.jobEnqueueMany({ jobs: [tickJob('other', T0, T0, 'bounded')], now: T0 });
        await store.queueConfigure({ queue: 'bounded', config, now: T0 });
        await put(store, 'free');
        await put(store, 'full', 'bounded');
        await put(store, 'free-too');
        const outcomes = await store.scheduleFireMany({
          fires: [tickFire('free', 1), tickFire('full', 1, 'bounded'), tickFire('free-too', 1)],
        });
        expect(resultOf(outcomes[0]).fired).toBe(true);
        const refused = outcomes[1];
        expect(refused?.ok).toBe(false);
        if (refused?.ok === false) expect(refused.error).toBeInstanceOf(QueueFullError);
        expect(resultOf(outcomes[2]).fired).toBe(true);
        expect(await store.scheduleGet({ name: 'full' })).toMatchObject({ version: 1, fires: 0, nextFireAt: TICK });
        expect(await dedupKeys(store, 'bounded')).toEqual([`schedule:other:${T0}`]);
        expect(await dedupKeys(store)).toEqual([`schedule:free-too:${TICK}`, `schedule:free:${TICK}`]);
      });

    test('a tick already enqueued returns its first job, beside a new fire in the same batch', async () => {
      const store = ctx.store();
      await put(store, 'done');
      await put(store, 'new');
      const first = await store.scheduleFire(tickFire('done', 1));
      if (!first.fired) throw new Error('expected the first fire to apply');
      const again = { ...tickFire('done', 2), advance: { version: 2, nextFireAt: TICK + 1_000, fired: 0 } };
      const [done, fresh] = (await store.scheduleFireMany({ fires: [again, tickFire('new', 1)] })).map(resultOf);
      if (!done?.fired || !fresh?.fired) throw new Error('expected both fires to apply');
      expect(done.results[0]).toMatchObject({ created: false, job: { id: first.results[0]?.job.id } });
      expect(fresh.results[0]?.created).toBe(true);
      expect(await dedupKeys(store)).toEqual([`schedule:done:${TICK}`, `schedule:new:${TICK}`]);
    });

    test('an empty batch, a schedule that is gone and a trigger in a batch', async () => {
      const store = ctx.store();
      expect(await store.scheduleFireMany({ fires: [] })).toEqual([]);
      await store.schedulePut({ name: 't', spec: scheduleSpec(), paused: true, nextFireAt: TICK, now: T0 });
      const trigger: ScheduleFireParams = {
        name: 't',
        jobs: [tickJob('t', T0 + 400)],
        lastFireAt: T0 + 400,
        advance: null,
        now: T0 + 400,
      };
      const [gone, triggered] = (await store.scheduleFireMany({ fires: [tickFire('gone', 1), trigger] })).map(resultOf);
      expect(gone).toEqual({ fired: false, schedule: null });
      expect(triggered).toMatchObject({ fired: true, schedule: { fires: 0, lastFireAt: T0 + 400, nextFireAt: TICK } });
      expect(await dedupKeys(store)).toEqual([`schedule:t:${T0 + 400}`]);
    });
  });
}
