/**
 * jobList: null state lists every job of the queue in seq order; one state lists only that
 * state's jobs (waiting ones in the order leases would take them); cursor pages visit every
 * job exactly once, even when jobs are deleted or added between pages.
 */
import { describe, expect } from 'vitest';
import { JOB_STATES, type Job, type JobState } from '@docket/protocol';
import type { Store } from '@docket/core';
import type { CaseContext } from '../case-registry.ts';
import { delayedJob, newJob, T0 } from '../support/new-jobs.ts';
import { collectPages } from '../support/pages.ts';
import { complete, drainIds, enqueue, enqueueOne, lease, reject } from '../support/store-actions.ts';

const LISTED = 'listed';

/** Three jobs in each state in LISTED, plus one job in another queue. */
async function populate(store: Store): Promise<Record<JobState, string[]>> {
  const ids: Record<JobState, string[]> = { delayed: [], waiting: [], active: [], completed: [], dead: [] };
  for (let i = 0; i < 3; i += 1) {
    ids.completed.push((await complete(store, await enqueueOne(store, newJob({ queue: LISTED })), T0 + 1)).id);
    ids.dead.push((await reject(store, await enqueueOne(store, newJob({ queue: LISTED })), T0 + 2)).id);
  }
  await enqueue(
    store,
    [1, 2, 3].map(() => newJob({ queue: LISTED })),
  );
  ids.active = (await lease(store, { queues: [LISTED], now: T0 + 3, max: 3 })).map((j) => j.id);
  ids.waiting = (
    await enqueue(
      store,
      [0, 2, 1].map((priority) => newJob({ queue: LISTED, priority })),
    )
  ).map((r) => r.job.id);
  ids.delayed = (
    await enqueue(
      store,
      [3, 1, 2].map((s) => delayedJob(T0 + s * 1000, { queue: LISTED })),
    )
  ).map((r) => r.job.id);
  await enqueueOne(store, newJob({ queue: 'elsewhere' }));
  return ids;
}

function listAll(store: Store, state: JobState | null): Promise<Job[]> {
  return collectPages(2, (page) => store.jobList({ queue: LISTED, state, ...page }));
}

export function registerListingCases(ctx: CaseContext): void {
  describe('listing', () => {
    ctx.test('listing without a state returns every job of the queue in seq order', async () => {
      const store = ctx.store();
      const ids = await populate(store);
      const listed = await listAll(store, null);
      const seqs = listed.map((j) => j.seq);
      expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
      expect(listed.map((j) => j.id).sort()).toEqual(Object.values(ids).flat().sort());
    });

    for (const state of JOB_STATES) {
      ctx.test(`listing ${state} jobs visits each of them exactly once`, async () => {
        const store = ctx.store();
        const ids = await populate(store);
        const listed = await listAll(store, state);
        expect(listed.every((j) => j.state === state && j.queue === LISTED)).toBe(true);
        expect(listed.map((j) => j.id).sort()).toEqual([...ids[state]].sort());
      });
    }

    ctx.test('listing waiting jobs follows the order leases would take them', async () => {
      const store = ctx.store();
      await enqueue(store, [
        newJob({ queue: LISTED, priority: 0, runAt: T0 + 5 }),
        newJob({ queue: LISTED, priority: 2, runAt: T0 + 9 }),
        newJob({ queue: LISTED, priority: 0, runAt: T0 + 1 }),
        newJob({ queue: LISTED, priority: 2, runAt: T0 + 9 }),
        newJob({ queue: LISTED, priority: -1, runAt: T0 }),
      ]);
      const listed = (await listAll(store, 'waiting')).map((j) => j.id);
      expect(listed).toEqual(await drainIds(store, [LISTED], T0 + 10));
    });

    ctx.test('listing a state without jobs returns an empty last page', async () => {
      const store = ctx.store();
      await enqueueOne(store, newJob({ queue: LISTED }));
      expect(await store.jobList({ queue: LISTED, state: 'dead', limit: 10, cursor: null })).toEqual({
        items: [],
        cursor: null,
      });
    });

    ctx.test('a cursor keeps its place when jobs are deleted or added between pages', async () => {
      const store = ctx.store();
      const jobs = [1, 2, 3, 4, 5].map(() => newJob({ queue: LISTED }));
      await enqueue(store, jobs);
      const [j1, j2, j3, j4, j5] = jobs.map((j) => j.id);
      const first = await store.jobList({ queue: LISTED, state: null, limit: 2, cursor: null });
      expect(first.items.map((j) => j.id)).toEqual([j1, j2]);
      expect(first.cursor).not.toBeNull();
      expect(await store.jobDelete({ id: j1 ?? '' })).toBe(true);
      const added = await enqueueOne(store, newJob({ queue: LISTED }), T0 + 1);
      const rest = await collectPages(2, async ({ limit, cursor }) =>
        store.jobList({ queue: LISTED, state: null, limit, cursor: cursor ?? first.cursor }),
      );
      expect(rest.map((j) => j.id)).toEqual([j3, j4, j5, added.id]);
    });
  });
}
