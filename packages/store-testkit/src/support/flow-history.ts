/**
 * A checker of the recorded history of flow-control races. The races run in phases: within a
 * phase every consumer first acks the jobs it is done with, then leases, all at once over both
 * servers; a barrier ends the phase. From the history alone, each phase's grants must lie between
 * what any order of its calls could give at least and at most:
 *
 *   lower = min(demand, waiting, concurrency - held before, rate max)
 *   upper = min(demand, waiting, concurrency - held before + acked in the phase, rate max)
 *
 * (a lease takes the least of its max and every room left, and an ack in the same phase may or
 * may not land first), and no job is ever leased twice. Each phase is its own rate window.
 */
export interface FlowLimits {
  readonly concurrency: number | null;
  readonly rateMax: number | null;
}

export interface PhaseRecord {
  /** Jobs that had never been leased when the phase began. */
  readonly waiting: number;
  /** Jobs held (leased, not acked) when the phase began. */
  readonly held: number;
  readonly acked: number;
  /** Sum of the max of every lease call of the phase. */
  readonly demand: number;
  /** Ids granted by the phase's leases, over every server. */
  readonly granted: readonly string[];
}

/** The first violation found, or null when the history is one a correct store could produce. */
export function checkFlowHistory(limits: FlowLimits, phases: readonly PhaseRecord[]): string | null {
  const seen = new Set<string>();
  for (const [index, phase] of phases.entries()) {
    for (const id of phase.granted) {
      if (seen.has(id)) return `phase ${index}: job ${id} leased a second time`;
      seen.add(id);
    }
    const bound = (acked: number): number => {
      let n = Math.min(phase.demand, phase.waiting);
      if (limits.concurrency !== null) n = Math.min(n, Math.max(0, limits.concurrency - phase.held + acked));
      if (limits.rateMax !== null) n = Math.min(n, limits.rateMax);
      return n;
    };
    const lower = bound(0);
    const upper = bound(phase.acked);
    const got = phase.granted.length;
    if (got < lower || got > upper) return `phase ${index}: granted ${got}, expected ${lower} to ${upper}`;
  }
  return null;
}
