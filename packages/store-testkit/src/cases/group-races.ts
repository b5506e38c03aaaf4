/**
 * Group races between servers: consumers on two stores over one backend (the same store for
 * SQLite) ack and lease a grouped queue at once, phase by phase, and a property test over random
 * groups, `groupConcurrency`, `groupRateLimit`, consumers and hold times checks the recorded history
 * (group-history.ts): no group holds more than its limit or gets more than its rate in a window, none leaves its order, no job goes out
 * twice, no phase grants less than every order would, and every job is done in the end.
 */
import { describe, expect } from 'vitest';
import fc from 'fast-check';
import type { LeasedJob, QueueConfig } from '@docket/protocol';
import type { Store } from '@docket/core';
import type { CaseContext } from '../case-registry.ts';
import { checkGroupHistory, type GroupPhase } from '../support/group-history.ts';
import { freshTokens, newJob, T0 } from '../support/new-jobs.ts';

interface Scenario {
  readonly groupConcurrency: number | null;
  readonly groupRateMax: number | null;
  /** The group of each job, in enqueue order. */
  readonly jobGroups: readonly number[];
  /** Per consumer: its lease max and how many phases it holds a job before acking it. */
  readonly consumers: readonly { readonly max: number; readonly hold: number }[];
}

const scenarios: fc.Arbitrary<Scenario> = fc
  .record({
    groupConcurrency: fc.option(fc.integer({ min: 1, max: 3 }), { nil: null }),
    groupRateMax: fc.option(fc.integer({ min: 1, max: 3 }), { nil: null }),
    jobGroups: fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 3, maxLength: 12 }),
    consumers: fc.array(fc.record({ max: fc.integer({ min: 1, max: 4 }), hold: fc.integer({ min: 0, max: 2 }) }), {
      minLength: 2,
      maxLength: 5,
    }),
  })
  .filter((s) => s.groupConcurrency !== null || s.groupRateMax !== null);

/** Each phase is one window of groupRateLimit: phase k leases at T0 + k·PHASE_MS + PHASE_MS / 2. */
const PHASE_MS = 10;

/** What docs/state-machine.md allows a store to apply a limit set through another server in. */
const LIMIT_PROPAGATION_MS = 150;

interface Held {
  readonly job: LeasedJob;
  readonly until: number;
}

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
  if (servers[0] !== servers[1]) await new Promise((r) => setTimeout(r, LIMIT_PROPAGATION_MS));
  const holding: Held[][] = scenario.consumers.map(() => []);
  const phases: GroupPhase[] = [];
  let done = 0;
  const maxPhases = jobs.length * 4 + 6;
  for (let phase = 1; done < jobs.length && phase <= maxPhases; phase += 1) {
    const now = T0 + phase * PHASE_MS + PHASE_MS / 2;
    const acked: string[] = [];
    const granted: string[] = [];
    await Promise.all(
      scenario.consumers.map(async ({ max, hold }, i) => {
        const store = servers[i % servers.length] as Store;
        const mine = holding[i] as Held[];
        const due = mine.filter((h) => h.until <= phase);
        holding[i] = mine.filter((h) => h.until > phase);
        for (const { job } of due) {
          acked.push(job.id);
          await store.jobAck({ id: job.id, token: job.leaseToken, now, result: null });
        }
        const leased = await store.jobLease({
          queues: [queue],
          max,
          now,
          leaseMs: null,
          worker: null,
          tokens: freshTokens(max),
        });
        for (const job of leased) {
          granted.push(job.id);
          holding[i]?.push({ job, until: phase + 1 + hold });
        }
      }),
    );
    const demand = scenario.consumers.reduce((n, c) => n + c.max, 0);
    phases.push({ acked, demand, granted });
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
          { numRuns: 6 },
        );
      },
    );
  });
}
