/**
 * Taking the tasks of one emq wait from the engine. A wait names a list of queues, repeats
 * allowed; position i of the answer holds a task of `queues[i]` or null. Each distinct queue is
 * leased once for as many tasks as it appears, so no task appears twice in one answer.
 *
 * - `takeAvailable`: whatever is there now (timeout 0, and the final take at a timeout).
 * - `takeAll`: every position or nothing. It leases only after the queue counts say the whole
 *   set is there; if a lease still comes back short (a race with another consumer), it gives
 *   the partial set back to the front of its queues and reports nothing taken.
 */
import { DocketError, type LeasedJob } from '@docket/protocol';
import type { Engine } from '@docket/core';
import { statsOf } from '@docket/server/door-support';

export interface WaitPlan {
  /** The requested queue of each answer position. */
  readonly positions: readonly string[];
  /** How many tasks each distinct queue must give. */
  readonly needs: ReadonlyMap<string, number>;
}

export type WaitAnswer = Array<LeasedJob | null>;

export function planOf(queues: readonly string[]): WaitPlan {
  const needs = new Map<string, number>();
  for (const queue of queues) needs.set(queue, (needs.get(queue) ?? 0) + 1);
  return { positions: queues, needs };
}

/** Puts leased jobs in answer order: each position takes the next job of its queue. */
export function arrange(plan: WaitPlan, jobs: readonly LeasedJob[]): WaitAnswer {
  const byQueue = new Map<string, LeasedJob[]>();
  for (const job of jobs) byQueue.set(job.queue, [...(byQueue.get(job.queue) ?? []), job]);
  return plan.positions.map((queue) => byQueue.get(queue)?.shift() ?? null);
}

async function leaseEach(engine: Engine, plan: WaitPlan): Promise<LeasedJob[]> {
  const batches = await Promise.all(
    [...plan.needs].map(([queue, max]) => engine.lease({ queues: [queue], max, waitMs: 0 })),
  );
  return batches.flat();
}

export async function takeAvailable(engine: Engine, plan: WaitPlan): Promise<WaitAnswer> {
  return arrange(plan, await leaseEach(engine, plan));
}

/** How many jobs a queue could hand out now: its waiting count, none when paused or unknown. */
async function ready(engine: Engine, queue: string): Promise<number> {
  const stats = await statsOf(engine, queue);
  return stats === null || stats.paused ? 0 : stats.counts.waiting;
}

/**
 * Gives leased jobs back to the front of their queues. Each id is in `returning` while its nack
 * runs, so the caller can tell the `job:nacked` events of its own give-backs from others. A job
 * the engine refuses to take back (its lease already ended) is left as it is.
 */
export async function giveBack(engine: Engine, jobs: readonly LeasedJob[], returning: Set<string>): Promise<void> {
  await Promise.all(
    jobs.map(async (job) => {
      returning.add(job.id);
      try {
        await engine.nack(job.id, { token: job.leaseToken, placement: 'front' });
      } catch (err) {
        if (!(err instanceof DocketError)) throw err;
      } finally {
        returning.delete(job.id);
      }
    }),
  );
}

export async function takeAll(engine: Engine, plan: WaitPlan, returning: Set<string>): Promise<WaitAnswer | null> {
  for (const [queue, need] of plan.needs) if ((await ready(engine, queue)) < need) return null;
  const jobs = await leaseEach(engine, plan);
  if (jobs.length === plan.positions.length) return arrange(plan, jobs);
  await giveBack(engine, jobs, returning);
  return null;
}
