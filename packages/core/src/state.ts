/**
 * The job state machine: the one transition table. docs/state-machine.md is checked against it
 * by a test, and the engine asserts every transition it asks a store for is listed here.
 *
 * - delayed: `runAt` is in the future (scheduled jobs, retries waiting out their backoff, nacks
 *   with a delay). In: enqueue with a delay, nack with a delay, a failed attempt with attempts
 *   left. Out: the delay-promoter when due; expiry; cancel. Kept until it moves.
 * - waiting: ready, in order of priority (higher first), ready time, enqueue sequence. In:
 *   enqueue, promotion, nack to the front or back, redrive. Out: lease, expiry, cancel.
 * - active: leased to one consumer holding the current lease token until `leaseExpiresAt`.
 *   Out: ack, nack, the lease-reaper when the lease ran out, expiry, cancel.
 * - completed: acked, with its result. Kept for the queue's retention (1 h, 10 000 by default).
 * - dead: will not run again by itself; `deadReason` says why. Kept 7 days by default; redrive
 *   moves it back to waiting.
 */
import type { DeadReason, JobState } from '@docket/protocol';

export type TransitionCause =
  'enqueue' | 'promote' | 'lease' | 'ack' | 'nack' | 'fail' | 'reap' | 'expire' | 'cancel' | 'redrive';

export interface Transition {
  readonly from: JobState | 'new';
  readonly to: JobState;
  readonly cause: TransitionCause;
  readonly reason?: DeadReason;
  readonly by: string;
}

export const TRANSITIONS: readonly Transition[] = [
  { from: 'new', to: 'waiting', cause: 'enqueue', by: 'engine.enqueue' },
  { from: 'new', to: 'delayed', cause: 'enqueue', by: 'engine.enqueue' },
  { from: 'delayed', to: 'waiting', cause: 'promote', by: 'delay-promoter, engine.promote' },
  { from: 'waiting', to: 'active', cause: 'lease', by: 'engine.lease' },
  { from: 'active', to: 'completed', cause: 'ack', by: 'engine.ack' },
  { from: 'active', to: 'waiting', cause: 'nack', by: 'engine.nack' },
  { from: 'active', to: 'delayed', cause: 'nack', by: 'engine.nack' },
  { from: 'active', to: 'waiting', cause: 'fail', by: 'engine.nack' },
  { from: 'active', to: 'delayed', cause: 'fail', by: 'engine.nack' },
  { from: 'active', to: 'dead', cause: 'fail', reason: 'max-attempts', by: 'engine.nack' },
  { from: 'active', to: 'dead', cause: 'fail', reason: 'rejected', by: 'engine.nack' },
  { from: 'active', to: 'waiting', cause: 'reap', by: 'lease-reaper' },
  { from: 'active', to: 'delayed', cause: 'reap', by: 'lease-reaper' },
  { from: 'active', to: 'dead', cause: 'reap', reason: 'max-attempts', by: 'lease-reaper' },
  { from: 'active', to: 'dead', cause: 'reap', reason: 'timeout', by: 'lease-reaper' },
  { from: 'waiting', to: 'dead', cause: 'expire', reason: 'expired', by: 'expiry-sweeper' },
  { from: 'delayed', to: 'dead', cause: 'expire', reason: 'expired', by: 'expiry-sweeper' },
  { from: 'active', to: 'dead', cause: 'expire', reason: 'expired', by: 'expiry-sweeper, engine.ack' },
  { from: 'waiting', to: 'dead', cause: 'cancel', reason: 'cancelled', by: 'engine.cancel' },
  { from: 'delayed', to: 'dead', cause: 'cancel', reason: 'cancelled', by: 'engine.cancel' },
  { from: 'active', to: 'dead', cause: 'cancel', reason: 'cancelled', by: 'engine.cancel' },
  { from: 'dead', to: 'waiting', cause: 'redrive', by: 'engine.redrive, engine.retry' },
];

/** True when the table allows `from → to` for `cause` (and `reason`, for dead). */
export function isAllowedTransition(
  from: JobState | 'new',
  to: JobState,
  cause: TransitionCause,
  reason?: DeadReason,
): boolean {
  return TRANSITIONS.some(
    (t) => t.from === from && t.to === to && t.cause === cause && (t.reason === undefined || t.reason === reason),
  );
}
