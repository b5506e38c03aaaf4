/** Internals that sibling packages' tests and benchmarks need; not part of the public surface. */
export { backoffDelay } from './policy/backoff.ts';
export { failureTarget, shouldDie } from './policy/retry.ts';
export { isExpired, attemptTimedOut } from './policy/expiry.ts';
export { placementTarget } from './policy/placement.ts';
export { newLeaseToken, newLeaseTokens, ulidFactory } from './ids.ts';
export { LeaseWaiters } from './lease-waiters.ts';
