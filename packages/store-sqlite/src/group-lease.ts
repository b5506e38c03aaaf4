/**
 * The lease of a queue with group settings in the SQLite store (docs/state-machine.md#groups):
 * the ring of its groups with waiting jobs (job_groups, by turn, with the held count the
 * triggers of migrations 0007 to 0009 keep exact, and each group's rate window) is read from its front in
 * chunks; each group with room under `groupConcurrency` and `groupRateLimit` gives its head jobs
 * in group order (jobs_group_waiting), interleaved round-robin; after the claim, the groups
 * served go to the back of the ring and their rate windows count what they gave. All of it runs
 * in the lease's own transaction of the commit batcher, so no other lease sees a half-served ring.
 *
 * Cost: O(log n) per group looked at; the ring is read until `max` groups with room were found
 * or GROUP_RING_SCAN_MAX rows were looked at (GroupRingScan, shared with the PostgreSQL store).
 * A queue without group settings never comes here.
 */
import type { LeaseThrottle } from '@docket/core';
import {
  GROUP_RING_CHUNK,
  GroupRingScan,
  roundRobin,
  servedOrder,
  type GroupLimits,
  type RingRow,
} from '@docket/core/store-support';
import { C, type JobRow } from './row-mapping.ts';
import type { StoreContext } from './store-context.ts';

/** What one grouped queue gives a lease, and how to record what the lease took. */
export interface GroupPick {
  readonly rows: JobRow[];
  /** Set when the queue gave nothing though it has waiting jobs (held groups, or a long ring). */
  readonly throttle: LeaseThrottle | null;
  /** Records the claimed rows of this queue (in lease order): rate windows, then turns. */
  readonly served: (claimed: readonly JobRow[]) => void;
}

export function groupCandidates(
  ctx: StoreContext,
  queue: string,
  limit: number,
  limits: GroupLimits,
  now: number,
): GroupPick {
  const scan = new GroupRingScan(limits, limit, now);
  while (scan.more) {
    // The first read asks for a little more than the lease needs: most leases stop there.
    const chunk = scan.scanned === 0 ? Math.min(GROUP_RING_CHUNK, limit + 16) : GROUP_RING_CHUNK;
    scan.take(ctx.q.jobGroupRing.all({ queue, after: scan.after, limit: chunk }) as RingRow[], chunk);
  }
  const { open } = scan;
  const rows =
    open.length >= limit ? oneEach(ctx, queue, open, now) : roundRobin(heads(ctx, queue, open, limit, now), limit);
  const throttle = rows.length === 0 ? scan.throttle() : null;
  const windows = new Map(open.map(({ group, window }) => [group, window]));
  return {
    rows,
    throttle,
    served: (claimed) => {
      const groups = claimed.map((row) => row[C.group_key] as string);
      for (const group of new Set(groups)) {
        const window = windows.get(group) ?? null;
        if (window === null) continue;
        const used = window.used + groups.filter((g) => g === group).length;
        ctx.q.jobGroupWindowSet.run({ queue, group, start: window.start, used });
      }
      const served = servedOrder(groups);
      if (served.length === 0) return;
      const { top } = ctx.q.jobGroupTopTurn.get({ queue }) as { top: number };
      served.forEach((group, i) => ctx.q.jobGroupServed.run({ queue, group, turn: top + 1 + i }));
    },
  };
}

/** One head job of each group, in ring order, with one statement. */
function oneEach(ctx: StoreContext, queue: string, open: readonly { group: string }[], now: number): JobRow[] {
  const groups = JSON.stringify(open.map(({ group }) => group));
  return ctx.q.jobGroupHeadsOne.all({ queue, groups, now }) as JobRow[];
}

/** Up to `limit` (and the group's room) head jobs of each group, for the round-robin. */
function heads(
  ctx: StoreContext,
  queue: string,
  open: readonly { group: string; room: number }[],
  limit: number,
  now: number,
): JobRow[][] {
  return open.map(
    ({ group, room }) => ctx.q.jobGroupHeads.all({ queue, group, now, limit: Math.min(room, limit) }) as JobRow[],
  );
}
