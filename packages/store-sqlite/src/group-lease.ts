/**
 * The lease of a queue with group settings in the SQLite store (docs/state-machine.md#groups):
 * the ring of its groups with waiting jobs (job_groups, by turn, with the held count the
 * triggers of migration 0007 keep exact) is read from its front in chunks; each group with room
 * under `groupConcurrency` gives its head jobs in group order (jobs_group_waiting), interleaved
 * round-robin; after the claim, the groups served go to the back of the ring. All of it runs in
 * the lease's own transaction of the commit batcher, so no other lease sees a half-served ring.
 *
 * Cost: O(log n) per group looked at; the ring is read until `max` groups with room were found
 * or GROUP_RING_SCAN_MAX rows were looked at (held groups are skipped in place, keeping their
 * turn). A queue without group settings never comes here.
 */
import type { LeaseThrottle } from '@docket/core';
import { GROUP_RING_CHUNK, GROUP_RING_SCAN_MAX, groupRoom, roundRobin, servedOrder } from '@docket/core/store-support';
import { C, type JobRow } from './row-mapping.ts';
import type { StoreContext } from './store-context.ts';

interface RingRow {
  readonly group_key: string;
  readonly turn: number;
  readonly held: number;
}

/** What one grouped queue gives a lease, and how to record what the lease took. */
export interface GroupPick {
  readonly rows: JobRow[];
  /** Set when the queue gave nothing though it has waiting jobs (held groups, or a long ring). */
  readonly throttle: LeaseThrottle | null;
}

export function groupCandidates(
  ctx: StoreContext,
  queue: string,
  limit: number,
  groupLimit: number,
  now: number,
): GroupPick {
  const open: { group: string; room: number }[] = [];
  let after = 0;
  let scanned = 0;
  let heldBack = false;
  let exhausted = false;
  while (open.length < limit && !exhausted) {
    if (scanned >= GROUP_RING_SCAN_MAX) break;
    const ring = ctx.q.jobGroupRing.all({ queue, after, limit: GROUP_RING_CHUNK }) as RingRow[];
    exhausted = ring.length < GROUP_RING_CHUNK;
    for (const row of ring) {
      scanned += 1;
      after = row.turn;
      const room = groupRoom(row.group_key, row.held, groupLimit);
      if (room === 0) heldBack = true;
      else open.push({ group: row.group_key, room });
      if (open.length === limit) break;
    }
  }
  const perGroup = open.length >= limit ? 1 : limit;
  const heads = open.map(
    ({ group, room }) => ctx.q.jobGroupHeads.all({ queue, group, now, limit: Math.min(room, perGroup) }) as JobRow[],
  );
  const rows = roundRobin(heads, limit);
  let throttle: LeaseThrottle | null = null;
  if (rows.length === 0 && (heldBack || !exhausted)) throttle = { retryInMs: exhausted ? null : 0 };
  return { rows, throttle };
}

/**
 * The groups of `claimed` (rows of one grouped queue, in lease order) go to the back of its ring
 * in the order of their last job in the lease, so the next lease goes on where this one stopped.
 */
export function groupsServed(ctx: StoreContext, queue: string, claimed: readonly JobRow[]): void {
  for (const group of servedOrder(claimed.map((row) => row[C.group_key] as string))) {
    ctx.q.jobGroupServed.run({ queue, group });
  }
}
