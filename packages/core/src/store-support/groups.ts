/**
 * Groups as every store computes them, so the three lease the same jobs: the lane that keeps the
 * jobs without a group in a grouped queue, how many jobs a group may still get, and the
 * round-robin interleaving of the groups' heads. Pure; a store reads its ring of groups (groups
 * with waiting jobs, by turn, with their held count) and each group's head jobs in the lease's
 * own atomic step, and moves the groups it served to the back of the ring in that step.
 */
import type { QueueConfig } from '@docket/protocol';
import type { LeaseThrottle } from '../store.ts';
import { RateWindow } from './flow-control.ts';

/**
 * The group key a store gives jobs without a group in a queue with group settings: one lane of
 * the rotation, never held by `groupConcurrency`. Not a valid `group` (those have at least one
 * character), and never shown: a job in the lane reads back without `group`.
 */
export const GROUP_LANE = '';

/** Ring rows a lease reads at once, and at most how many it looks at before giving up for now. */
export const GROUP_RING_CHUNK = 256;
export const GROUP_RING_SCAN_MAX = 4_096;

/** The group settings of a queue: null fields are not set. */
export interface GroupLimits {
  readonly concurrency: number | null;
  readonly rateMax: number | null;
  readonly ratePerMs: number | null;
}

/** The queue's group settings, or null for a queue without any (not a grouped queue). */
export function groupLimits(config: QueueConfig): GroupLimits | null {
  if (config.groupConcurrency === undefined && config.groupRateLimit === undefined) return null;
  return {
    concurrency: config.groupConcurrency ?? null,
    rateMax: config.groupRateLimit?.max ?? null,
    ratePerMs: config.groupRateLimit?.perMs ?? null,
  };
}

/** One group of the ring as a store read it: its held jobs and its stored rate window. */
export interface RingGroup {
  readonly group: string;
  readonly held: number;
  readonly rateStart: number | null;
  readonly rateUsed: number;
}

/**
 * What a group may give a lease at `now`: `room` (unbounded for the lane), its current rate
 * window (null without groupRateLimit), and why it gives nothing when `room` is 0.
 */
export interface GroupRoom {
  readonly room: number;
  readonly window: RateWindow | null;
  readonly heldBy: 'concurrency' | 'rate' | null;
}

export function groupRoom(limits: GroupLimits, ring: RingGroup, now: number): GroupRoom {
  if (ring.group === GROUP_LANE) return { room: Infinity, window: null, heldBy: null };
  let room = Infinity;
  let heldBy: GroupRoom['heldBy'] = null;
  if (limits.concurrency !== null) {
    room = Math.max(0, limits.concurrency - ring.held);
    if (room === 0) heldBy = 'concurrency';
  }
  let window: RateWindow | null = null;
  if (limits.ratePerMs !== null && limits.rateMax !== null) {
    window = new RateWindow(now, limits.ratePerMs, ring.rateStart, ring.rateUsed);
    const left = Math.max(0, limits.rateMax - window.used);
    if (left === 0 && room > 0) heldBy = 'rate';
    room = Math.min(room, left);
  }
  return { room, window, heldBy };
}

/** A row of the ring as the SQL stores read it from `job_groups` (bigints may come as strings). */
export interface RingRow {
  readonly group_key: string;
  readonly turn: number | string;
  readonly held: number | string;
  readonly rate_start: number | string | null;
  readonly rate_used: number | string;
}

/** A group of the ring with room for the lease: how many jobs it may give, and its rate window. */
export interface OpenGroup {
  readonly group: string;
  readonly room: number;
  readonly window: RateWindow | null;
}

/**
 * A grouped lease's look at the ring, fed the chunks a SQL store reads from its front in turn
 * order: it keeps the groups with room (`open`, in ring order) until `limit` of them were found,
 * the ring ended or GROUP_RING_SCAN_MAX rows were looked at (held groups are skipped in place,
 * keeping their turn), and why the others gave nothing, for `throttle`.
 */
export class GroupRingScan {
  readonly open: OpenGroup[] = [];
  readonly #limits: GroupLimits;
  readonly #limit: number;
  readonly #now: number;
  readonly #heldBy = new Set<'concurrency' | 'rate'>();
  #after = 0;
  #scanned = 0;
  #exhausted = false;

  constructor(limits: GroupLimits, limit: number, now: number) {
    this.#limits = limits;
    this.#limit = limit;
    this.#now = now;
  }

  /** Whether the store should read another chunk. */
  get more(): boolean {
    return this.open.length < this.#limit && !this.#exhausted && this.#scanned < GROUP_RING_SCAN_MAX;
  }

  /** The turn the next chunk starts after. */
  get after(): number {
    return this.#after;
  }

  /** Ring rows looked at so far. */
  get scanned(): number {
    return this.#scanned;
  }

  /** Looks at one chunk read with `size` rows at most; fewer means the ring ended. */
  take(ring: readonly RingRow[], size: number): void {
    this.#exhausted = ring.length < size;
    for (const row of ring) {
      this.#scanned += 1;
      this.#after = Number(row.turn);
      const ringGroup = {
        group: row.group_key,
        held: Number(row.held),
        rateStart: row.rate_start === null ? null : Number(row.rate_start),
        rateUsed: Number(row.rate_used),
      };
      const { room, window, heldBy } = groupRoom(this.#limits, ringGroup, this.#now);
      if (heldBy !== null) this.#heldBy.add(heldBy);
      if (room > 0) this.open.push({ group: row.group_key, room, window });
      if (this.open.length === this.#limit) break;
    }
  }

  /** The throttle of the queue when it gave the lease nothing (groupThrottle). */
  throttle(): LeaseThrottle | null {
    return groupThrottle(this.#limits, this.#now, this.#heldBy, this.#exhausted);
  }
}

/**
 * The throttle of a grouped queue that gave a lease nothing: when a group's rate window opens
 * (a rate-held group), else unknown (a concurrency-held group: a slot opens when a job leaves
 * `active`), else at once when the ring was looked at only in part; null when nothing held.
 */
export function groupThrottle(
  limits: GroupLimits,
  now: number,
  heldBy: ReadonlySet<'concurrency' | 'rate'>,
  exhausted: boolean,
): LeaseThrottle | null {
  if (!exhausted) return { retryInMs: 0 };
  if (heldBy.has('rate') && limits.ratePerMs !== null) {
    const start = Math.floor(now / limits.ratePerMs) * limits.ratePerMs;
    return { retryInMs: start + limits.ratePerMs - now };
  }
  if (heldBy.has('concurrency')) return { retryInMs: null };
  return null;
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
