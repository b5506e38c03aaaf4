/** Policy: when a purge resets a queue's lifetime totals. The engine decides; stores apply `resetTotals`. */
import type { JobState } from '@docket/protocol';

/**
 * True when a purge of `states` (null: every state) takes the queue's history, its completed and
 * its dead jobs together: then the queue's totals go back to 0 (presque's purge, which keeps active jobs, resets its counters so).
 */
export function purgeResetsTotals(states: readonly JobState[] | null): boolean {
  return states === null || (states.includes('completed') && states.includes('dead'));
}
