/**
 * The lease of a queue with group settings in the PostgreSQL store (docs/state-machine.md#groups),
 * inside the limited path's transaction, after the queue's row lock (queue-lock-flow.sql): every
 * server's leases of the queue go one at a time, so the ring and the held counts it reads
 * (job_groups, kept exact by the triggers of migration 0008) cannot change under it but by acks
 * and other moves that only ever free room. The ring is read from its front in chunks; each
 * group with room under `groupConcurrency` gives its head jobs in group order (one statement for
 * all groups), interleaved round-robin; the picks are claimed in that order, and the groups
 * served go to the back of the ring.
 */
import type { LeasedJob } from '@docket/protocol';
import type { JobLeaseParams, LeaseThrottle } from '@docket/core';
import { GROUP_RING_CHUNK, GROUP_RING_SCAN_MAX, groupRoom, roundRobin, servedOrder } from '@docket/core/store-support';
import { rowToLeasedJob, type JobRow } from './row-mapping.ts';
import type { Session } from './session.ts';

interface RingRow {
  readonly group_key: string;
  readonly turn: number | string;
  readonly held: number;
}

interface HeadRow {
  readonly seq: number | string;
  readonly position: number | string;
}

/** What one grouped queue gave a lease: its claimed jobs, and a throttle when it gave nothing. */
export interface GroupLease {
  readonly jobs: LeasedJob[];
  readonly throttle: LeaseThrottle | null;
}

/** Claims up to `limit` jobs of one grouped queue with the first of `p.tokens`. */
export async function leaseGroups(
  s: Session,
  p: JobLeaseParams,
  queue: string,
  limit: number,
  groupLimit: number,
): Promise<GroupLease> {
  const open: { group: string; room: number }[] = [];
  let after = 0;
  let scanned = 0;
  let heldBack = false;
  let exhausted = false;
  while (open.length < limit && !exhausted && scanned < GROUP_RING_SCAN_MAX) {
    const ring = await s.rows<RingRow>('job-group-ring', { queue, after, limit: GROUP_RING_CHUNK });
    exhausted = ring.length < GROUP_RING_CHUNK;
    for (const row of ring) {
      scanned += 1;
      after = Number(row.turn);
      const room = groupRoom(row.group_key, row.held, groupLimit);
      if (room === 0) heldBack = true;
      else open.push({ group: row.group_key, room });
      if (open.length === limit) break;
    }
  }
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
  const throttle = seqs.length === 0 && (heldBack || !exhausted) ? { retryInMs: exhausted ? null : 0 } : null;
  if (seqs.length === 0) return { jobs: [], throttle };
  const claimed = await s.rows<JobRow>('job-lease-claim-seqs', {
    seqs,
    now: p.now,
    leaseMs: p.leaseMs,
    tokens: p.tokens.slice(0, seqs.length),
    worker: p.worker,
  });
  const groups = servedOrder(claimed.map((row) => row.group_key ?? ''));
  await s.count('job-group-served', { queue, groups });
  return { jobs: claimed.map(rowToLeasedJob), throttle };
}
