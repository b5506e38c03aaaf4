/**
 * A checker of the recorded history of group races (cases/group-races.ts), in the phases of
 * flow-history.ts: within a phase every consumer first acks the jobs it is done with, then
 * leases, all at once over both servers. From the history alone:
 *
 * - no job is leased twice;
 * - per group, the jobs held after a phase's leases never number more than `groupConcurrency`,
 *   counting every ack of the phase as landed first (the most room any order could leave);
 * - per group, a phase (one rate window) grants at most `groupRateMax` when set;
 * - per group, the jobs leased so far are always a prefix of the group's enqueue order (every job
 *   has priority 0 and none is given back, so group order is enqueue order);
 * - a phase grants at least what any order of its calls leaves: the least of its demand and, over
 *   the groups, each one's waiting jobs within the room it had before the phase's acks (and its
 *   rate window).
 */
export interface GroupPhase {
  /** Ids acked at the start of the phase. */
  readonly acked: readonly string[];
  /** Sum of the max of every lease call of the phase. */
  readonly demand: number;
  /** Ids granted by the phase's leases, over every server. */
  readonly granted: readonly string[];
}

export interface GroupHistory {
  readonly groupConcurrency: number | null;
  /** Leases per group per phase (each phase is one rate window), or null. */
  readonly groupRateMax: number | null;
  /** Each group's job ids in enqueue order. */
  readonly groups: ReadonlyMap<string, readonly string[]>;
  readonly phases: readonly GroupPhase[];
}

/** The first violation found, or null when the history is one a correct store could produce. */
export function checkGroupHistory(history: GroupHistory): string | null {
  const groupOf = new Map<string, string>();
  for (const [group, ids] of history.groups) for (const id of ids) groupOf.set(id, group);
  const leased = new Map<string, number>();
  const held = new Map<string, number>();
  const seen = new Set<string>();
  const count = (map: Map<string, number>, group: string): number => map.get(group) ?? 0;
  for (const [index, phase] of history.phases.entries()) {
    let lower = 0;
    for (const [group, ids] of history.groups) {
      let room =
        history.groupConcurrency === null ? Infinity : Math.max(0, history.groupConcurrency - count(held, group));
      if (history.groupRateMax !== null) room = Math.min(room, history.groupRateMax);
      lower += Math.min(ids.length - count(leased, group), room);
    }
    lower = Math.min(lower, phase.demand);
    for (const id of phase.acked) {
      const group = groupOf.get(id) ?? '';
      held.set(group, count(held, group) - 1);
    }
    const grantedBy = new Map<string, number>();
    for (const id of phase.granted) {
      const group = groupOf.get(id);
      if (group !== undefined) grantedBy.set(group, count(grantedBy, group) + 1);
    }
    for (const [group, n] of grantedBy) {
      if (history.groupRateMax !== null && n > history.groupRateMax) {
        return `phase ${index}: group ${group} got ${n} leases in one window, more than ${history.groupRateMax}`;
      }
    }
    for (const id of phase.granted) {
      if (seen.has(id)) return `phase ${index}: job ${id} leased a second time`;
      seen.add(id);
      const group = groupOf.get(id);
      if (group === undefined) return `phase ${index}: job ${id} is in no group`;
      held.set(group, count(held, group) + 1);
      leased.set(group, count(leased, group) + 1);
    }
    for (const [group, ids] of history.groups) {
      if (history.groupConcurrency !== null && count(held, group) > history.groupConcurrency) {
        return `phase ${index}: group ${group} holds ${count(held, group)} jobs, more than ${history.groupConcurrency}`;
      }
      const prefix = new Set(ids.slice(0, count(leased, group)));
      const out = ids.filter((id) => seen.has(id));
      if (out.some((id) => !prefix.has(id))) return `phase ${index}: group ${group} left its order`;
    }
    if (phase.granted.length < lower)
      return `phase ${index}: granted ${phase.granted.length}, expected at least ${lower}`;
  }
  return null;
}
