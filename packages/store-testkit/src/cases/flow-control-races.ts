/**
 * Flow-control races between servers: consumers on two stores over one backend (another server's
 * store; the same store for SQLite) lease and ack a limited queue at once, and a property test
 * over random limits, consumers and hold times checks the recorded history (flow-history.ts):
 * no phase passes a concurrency or rate limit, none grants less than every order would, no job
 * goes out twice, and every job is done in the end.
 */
import { describe, expect } from 'vitest';
import fc from 'fast-check';
import { QueueFullError, type QueueConfig } from '@docket/protocol';
import type { Store } from '@docket/core';
import type { CaseContext } from '../case-registry.ts';
import { checkFlowHistory, type PhaseRecord } from '../support/flow-history.ts';
import { freshTokens, newJob, T0 } from '../support/new-jobs.ts';
import { afterPropagation, raceConsumers, RaceConsumers, type RaceConsumer } from '../support/race-phases.ts';

interface Scenario {
  readonly concurrency: number | null;
  readonly rateMax: number | null;
  readonly jobs: number;
  readonly consumers: readonly RaceConsumer[];
}

const scenarios: fc.Arbitrary<Scenario> = fc
  .record({
    concurrency: fc.option(fc.integer({ min: 1, max: 4 }), { nil: null }),
    rateMax: fc.option(fc.integer({ min: 1, max: 5 }), { nil: null }),
    jobs: fc.integer({ min: 3, max: 14 }),
    consumers: raceConsumers(3),
  })
  .filter((s) => s.concurrency !== null || s.rateMax !== null);

/** What docs/state-machine.md allows a store to apply a limit set through another server in. */
const LIMIT_PROPAGATION_MS = 150;

/**
 * What docs/state-machine.md allows a store to apply a `maxWaiting` set through another server
 * in (PostgreSQL's routing cache refreshes once a second; its plain enqueue does not look).
 */
const BACKLOG_PROPAGATION_MS = 1_100;

/** Each phase is one rate window: phase k leases at T0 + k·PHASE_MS + PHASE_MS / 2. */
const PHASE_MS = 1_000;

async function runScenario(servers: readonly Store[], queue: string, scenario: Scenario): Promise<void> {
  const config: QueueConfig = {
    ...(scenario.concurrency === null ? {} : { concurrency: scenario.concurrency }),
    ...(scenario.rateMax === null ? {} : { rateLimit: { max: scenario.rateMax, perMs: PHASE_MS } }),
  };
  const first = servers[0] as Store;
  await first.queueConfigure({ queue, config, now: T0 });
  await first.jobEnqueueMany({ jobs: Array.from({ length: scenario.jobs }, () => newJob({ queue })), now: T0 });
  // PostgreSQL's fast lease skips the queue until it applied the limit.
  await afterPropagation(servers, LIMIT_PROPAGATION_MS);
  const consumers = new RaceConsumers(servers, queue, scenario.consumers);
  const phases: PhaseRecord[] = [];
  let leasedSoFar = 0;
  let acked = 0;
  const maxPhases = scenario.jobs * 6 + 6;
  for (let phase = 1; acked < scenario.jobs && phase <= maxPhases; phase += 1) {
    const held = consumers.held;
    const { acked: ackedIds, granted } = await consumers.phase(phase, T0 + phase * PHASE_MS + PHASE_MS / 2);
    phases.push({
      waiting: scenario.jobs - leasedSoFar,
      held,
      acked: ackedIds.length,
      demand: consumers.demand,
      granted,
    });
    leasedSoFar += granted.length;
    acked += ackedIds.length;
  }
  const limits = { concurrency: scenario.concurrency, rateMax: scenario.rateMax };
  expect(checkFlowHistory(limits, phases)).toBeNull();
  expect(acked).toBe(scenario.jobs);
}

export function registerFlowControlRaceCases(ctx: CaseContext): void {
  describe('flow control races', () => {
    ctx.test('two servers enqueueing at once never pass maxWaiting, and fill it exactly', async () => {
      const servers = [ctx.store(), await ctx.peer()];
      await (servers[0] as Store).queueConfigure({ queue: 'bounded', config: { maxWaiting: 10 }, now: T0 });
      await afterPropagation(servers, BACKLOG_PROPAGATION_MS);
      const settled = await Promise.allSettled(
        Array.from({ length: 16 }, (_, i) =>
          (servers[i % 2] as Store).jobEnqueueMany({ jobs: [newJob({ queue: 'bounded' })], now: T0 + 1 }),
        ),
      );
      const refused = settled.filter((s) => s.status === 'rejected');
      expect(refused).toHaveLength(6);
      for (const s of refused) expect(s.reason).toBeInstanceOf(QueueFullError);
      expect(await (servers[1] as Store).queueStats({ queue: 'bounded' })).toMatchObject({ waiting: 10 });
    });

    ctx.test('two servers enqueueing at once never pass maxBytes, and fill it exactly', async () => {
      const servers = [ctx.store(), await ctx.peer()] as [Store, Store];
      const sized = () => newJob({ queue: 'sized', data: 'b'.repeat(98) });
      await servers[0].queueConfigure({ queue: 'sized', config: { maxBytes: 1_000 }, now: T0 });
      if (servers[0] !== servers[1]) await new Promise((r) => setTimeout(r, BACKLOG_PROPAGATION_MS));
      const enqueueAtOnce = (count: number, now: number) =>
        Promise.allSettled(
          Array.from({ length: count }, (_, i) =>
            (i % 2 === 0 ? servers[0] : servers[1]).jobEnqueueMany({ jobs: [sized()], now }),
          ),
        );
      const first = await enqueueAtOnce(16, T0 + 1);
      expect(first.filter((s) => s.status === 'fulfilled')).toHaveLength(10);
      for (const s of first) if (s.status === 'rejected') expect(s.reason).toBeInstanceOf(QueueFullError);
      const [leased, second] = await Promise.all([
        servers[1].jobLease({
          queues: ['sized'],
          max: 4,
          now: T0 + 2,
          leaseMs: null,
          worker: null,
          tokens: freshTokens(4),
        }),
        enqueueAtOnce(12, T0 + 2),
      ]);
      expect(leased).toHaveLength(4);
      const taken = second.filter((s) => s.status === 'fulfilled').length;
      expect(taken).toBeLessThanOrEqual(4);
      const third = await enqueueAtOnce(8, T0 + 3);
      expect(taken + third.filter((s) => s.status === 'fulfilled').length).toBe(4);
      expect(await servers[1].queueStats({ queue: 'sized' })).toMatchObject({ waiting: 10, active: 4 });
    });

    ctx.test('setting maxBytes while another server enqueues counts every job exactly once', async () => {
      const servers = [ctx.store(), await ctx.peer()] as [Store, Store];
      const sized = (bytes: number) => newJob({ queue: 'counted', data: 'c'.repeat(bytes - 2) });
      await Promise.all([
        servers[0].queueConfigure({ queue: 'counted', config: { maxBytes: 1_000_000 }, now: T0 }),
        ...Array.from({ length: 40 }, () => servers[1].jobEnqueueMany({ jobs: [sized(100)], now: T0 })),
      ]);
      // The total is kept, not summed again, when the bound changes: at 4 000 the queue is full.
      await servers[0].queueConfigure({ queue: 'counted', config: { maxBytes: 4_000 }, now: T0 + 1 });
      if (servers[0] !== servers[1]) await new Promise((r) => setTimeout(r, BACKLOG_PROPAGATION_MS));
      for (const server of servers) {
        await expect(server.jobEnqueueMany({ jobs: [sized(2)], now: T0 + 2 })).rejects.toBeInstanceOf(QueueFullError);
      }
      const leased = await servers[1].jobLease({
        queues: ['counted'],
        max: 1,
        now: T0 + 3,
        leaseMs: null,
        worker: null,
        tokens: freshTokens(1),
      });
      expect(leased).toHaveLength(1);
      await expect(servers[1].jobEnqueueMany({ jobs: [sized(101)], now: T0 + 4 })).rejects.toBeInstanceOf(
        QueueFullError,
      );
      expect((await servers[0].jobEnqueueMany({ jobs: [sized(100)], now: T0 + 4 }))[0]?.created).toBe(true);
    });

    ctx.test('two servers leasing at once never pass a concurrency or rate limit (property)', async () => {
      const servers = [ctx.store(), await ctx.peer()];
      let run = 0;
      await fc.assert(
        fc.asyncProperty(scenarios, async (scenario) => {
          run += 1;
          await runScenario(servers, `race-${run}`, scenario);
        }),
        { numRuns: 6 },
      );
    });
  });
}
