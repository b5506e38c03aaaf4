/**
 * Group races between servers: consumers on two stores over one backend (the same store for
 * SQLite) ack and lease a grouped queue at once, phase by phase, and a property test over random
 * groups, `groupConcurrency`, `groupRateLimit`, consumers and hold times checks the recorded history
 * (group-history.ts): no group holds more than its limit or gets more than its rate in a window, none leaves its order, no job goes out
 * twice, no phase grants less than every order would, and every job is done in the end.
 */
import { describe, expect } from 'vitest';
import fc from 'fast-check';
import type { QueueConfig } from '@docket/protocol';
import type { Store } from '@docket/core';
import type { CaseContext } from '../case-registry.ts';
import { checkGroupHistory, type GroupPhase } from '../support/group-history.ts';
import { newJob, T0 } from '../support/new-jobs.ts';
import { afterPropagation, raceConsumers, RaceConsumers, type RaceConsumer } from '../support/race-phases.ts';

interface Scenario {
  readonly groupConcurrency: number | null;
  readonly groupRateMax: number | null;
  /** The group of each job, in enqueue order. */
  readonly jobGroups: readonly number[];
  readonly consumers: readonly RaceConsumer[];
}

const scenarios: fc.Arbitrary<Scenario> = fc
  .record({
    groupConcurrency: fc.option(fc.integer({ min: 1, max: 3 }), { nil: null }),
    groupRateMax: fc.option(fc.integer({ min: 1, max: 3 }), { nil: null }),
    jobGroups: fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 3, maxLength: 12 }),
    consumers: raceConsumers(4),
  })
  .filter((s) => s.groupConcurrency !== null || s.groupRateMax !== null);

/**
 * A counterexample CI found (PostgreSQL): a lease routed on the peer's stale sets came back short,
 * and its look-again saw the sets just refreshed by a concurrent call and gave up, leasing 9 of 10.
 */
const PEER_MISSED_LIMIT: Scenario = {
  groupConcurrency: null,
  groupRateMax: 3,
  jobGroups: [0, 1, 2, 0, 3, 1, 2, 2, 3, 0],
  consumers: [
    { max: 4, hold: 0 },
    { max: 1, hold: 0 },
    { max: 3, hold: 1 },
    { max: 1, hold: 0 },
    { max: 1, hold: 0 },
  ],
};

/** Each phase is one window of groupRateLimit: phase k leases at T0 + k·PHASE_MS + PHASE_MS / 2. */
const PHASE_MS = 10;

/** What docs/state-machine.md allows a store to apply a limit set through another server in. */
const LIMIT_PROPAGATION_MS = 150;

async function runScenario(servers: readonly Store[], queue: string, scenario: Scenario): Promise<void> {
  const first = servers[0] as Store;
  const config: QueueConfig = {
    ...(scenario.groupConcurrency === null ? {} : { groupConcurrency: scenario.groupConcurrency }),
    ...(scenario.groupRateMax === null ? {} : { groupRateLimit: { max: scenario.groupRateMax, perMs: PHASE_MS } }),
  };
  await first.queueConfigure({ queue, config, now: T0 });
  const jobs = scenario.jobGroups.map((g) => newJob({ queue, group: `g${g}` }));
  const groups = new Map<string, string[]>();
  for (const job of jobs) groups.set(job.group ?? '', [...(groups.get(job.group ?? '') ?? []), job.id]);
  await first.jobEnqueueMany({ jobs, now: T0 });
  await afterPropagation(servers, LIMIT_PROPAGATION_MS);
  const consumers = new RaceConsumers(servers, queue, scenario.consumers);
  const phases: GroupPhase[] = [];
  let done = 0;
  const maxPhases = jobs.length * 4 + 6;
  for (let phase = 1; done < jobs.length && phase <= maxPhases; phase += 1) {
    const { acked, granted } = await consumers.phase(phase, T0 + phase * PHASE_MS + PHASE_MS / 2);
    phases.push({ acked, demand: consumers.demand, granted });
    done += acked.length;
  }
  const { groupConcurrency, groupRateMax } = scenario;
  expect(checkGroupHistory({ groupConcurrency, groupRateMax, groups, phases })).toBeNull();
  expect(done).toBe(jobs.length);
}

export function registerGroupRaceCases(ctx: CaseContext): void {
  describe('group races', () => {
    ctx.test(
      'two servers leasing at once never pass groupConcurrency or groupRateLimit nor break a group order (property)',
      async () => {
        const servers = [ctx.store(), await ctx.peer()];
        let run = 0;
        await fc.assert(
          fc.asyncProperty(scenarios, async (scenario) => {
            run += 1;
            await runScenario(servers, `groups-${run}`, scenario);
          }),
          { numRuns: 6, examples: [[PEER_MISSED_LIMIT]] },
        );
      },
    );
  });
}
