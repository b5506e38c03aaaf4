/** Where a consumer's explicit nack sends a job. Pure. */
import type { NackPlacement } from '@docket/protocol';
import type { NackTarget } from '../store.ts';

export function placementTarget(placement: NackPlacement, now: number, delayMs: number): NackTarget {
  if (placement === 'delay') return { state: 'delayed', runAt: now + delayMs };
  return { state: 'waiting', placement };
}
