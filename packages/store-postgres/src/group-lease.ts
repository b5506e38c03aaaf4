/**
 * The lease of a queue with group settings in the PostgreSQL store (docs/state-machine.md#groups),
 * inside the limited path's transaction, after the queue's row lock (queue-lock-flow.sql): every
 * server's leases of the queue go one at a time, so the ring and the held counts it reads
 * (job_groups, kept exact by the triggers of migration 0008) cannot change under it but by acks
 * and other moves that only ever free room. The ring is read from its front in chunks
 * (GroupRingScan, shared with the SQLite store); each group with room under `groupConcurrency`
 * gives its head jobs in group order (one statement for all groups), interleaved round-robin; the
 * picks are claimed in that order, and the groups served go to the back of the ring.
 */
import type { LeasedJob } from '@docket/protocol';
import type { JobLeaseParams, LeaseThrottle } from '@docket/core';
import {
  GROUP_RING_CHUNK,
  GroupRingScan,
  roundRobin,
  servedOrder,
  type GroupLimits,
  type RingRow,
} from '@docket/core/store-support';
import { rowToLeasedJob, type JobRow } from './row-mapping.ts';
import type { Session } from './session.ts';

interface HeadRow {
  readonly seq: number | string;
  readonly position: number | string;
}

/** What one grouped queue gave a lease: its claimed jobs, and a throttle when it gave nothing. */
export interface GroupLease {
  readonly jobs: LeasedJob[];
  readonly throttle: LeaseThrottle | null;
}

/** Claims up to `limit` jobs of one grouped queue with the first of `p.tokens`; their groups' rate windows count them. */
export async function leaseGroups(
  s: Session,
  p: JobLeaseParams,
  queue: string,
  limit: number,
  limits: GroupLimits,
): Promise<GroupLease> {
  const scan = new GroupRingScan(limits, limit, p.now);
  while (scan.more) {
    scan.take(
      await s.rows<RingRow>('job-group-ring', { queue, after: scan.after, limit: GROUP_RING_CHUNK }),
      GROUP_RING_CHUNK,
    );
  }
  const { open } = scan;
  const perGroup = open.length >= limit ? 1 : limit;
  const heads: number[][] = open.map(() => []);
  if (open.length > 0) {
    const rows = await s.rows<HeadRow>('job-group-heads', {
      queue,
      groups: open.map(({ group }) => group),
      limits: open.map(({ room }) => Math.min(room, perGroup)),
      now: p.now,
    });
    for (const row of rows) heads[Number(row.position) - 1]?.push(Number(row.seq));
  }
  const seqs = roundRobin(heads, limit);
  if (seqs.length === 0) return { jobs: [], throttle: scan.throttle() };
  const claimed = await s.rows<JobRow>('job-lease-claim-seqs', {
    seqs,
    now: p.now,
    leaseMs: p.leaseMs,
    tokens: p.tokens.slice(0, seqs.length),
    worker: p.worker,
  });
  const claimedGroups = claimed.map((row) => row.group_key ?? '');
  const windows: { group: string; start: number; used: number }[] = [];
  for (const { group, window } of open) {
    const taken = claimedGroups.filter((g) => g === group).length;
    if (window !== null && taken > 0) windows.push({ group, start: window.start, used: window.used + taken });
  }
  if (windows.length > 0) {
    await s.count('job-group-window-set', {
      queue,
      groups: windows.map((w) => w.group),
      starts: windows.map((w) => w.start),
      useds: windows.map((w) => w.used),
    });
  }
  await s.count('job-group-served', { queue, groups: servedOrder(claimedGroups) });
  return { jobs: claimed.map(rowToLeasedJob), throttle: null };
}
