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
import { newJob, T0 } from '../support/new-jobs.ts';
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
