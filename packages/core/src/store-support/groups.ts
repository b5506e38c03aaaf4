/**
 * Groups as every store computes them, so the three lease the same jobs: the lane that keeps the
 * jobs without a group in a grouped queue, how many jobs a group may still get, and the
 * round-robin interleaving of the groups' heads. Pure; a store reads its ring of groups (groups
 * with waiting jobs, by turn, with their held count) and each group's head jobs in the lease's
 * own atomic step, and moves the groups it served to the back of the ring in that step.
 */
import type { QueueConfig } from '@docket/protocol';

/**
 * The group key a store gives jobs without a group in a queue with group settings: one lane of
 * the rotation, never held by `groupConcurrency`. Not a valid `group` (those have at least one
 * character), and never shown: a job in the lane reads back without `group`.
 */
export const GROUP_LANE = '';

/** Ring rows a lease reads at once, and at most how many it looks at before giving up for now. */
export const GROUP_RING_CHUNK = 256;
export const GROUP_RING_SCAN_MAX = 4_096;

/** The queue's `groupConcurrency`, or null for a queue without group settings. */
export function groupConcurrency(config: QueueConfig): number | null {
  return config.groupConcurrency ?? null;
}

/** How many more jobs a group may get now: unbounded for the lane. */
export function groupRoom(group: string, held: number, limit: number): number {
  return group === GROUP_LANE ? Infinity : Math.max(0, limit - held);
}

/**
 * Interleaves the groups' heads round-robin, in ring order: the first head of every group, then
 * the second of every group that has one, and so on, up to `max`.
 */
export function roundRobin<T>(heads: readonly (readonly T[])[], max: number): T[] {
  const picked: T[] = [];
  for (let k = 0; picked.length < max; k += 1) {
    let any = false;
    for (const group of heads) {
      const head = group[k];
      if (head === undefined) continue;
      any = true;
      picked.push(head);
      if (picked.length === max) break;
    }
    if (!any) break;
  }
  return picked;
}

/**
 * The groups a lease served, each once, in the order of its last job in the lease: the order in
 * which they go to the back of the ring, so the next lease goes on where this one stopped.
 */
export function servedOrder(groups: readonly string[]): string[] {
  const order = new Set<string>();
  for (const group of groups) {
    order.delete(group);
    order.add(group);
  }
  return [...order];
}
