/** Backoff: how long a failed attempt waits before the next one. Pure. */
import type { BackoffPolicy } from '@docket/protocol';

/**
 * Delay after the `attempt`-th failed attempt (1-based). `random` in [0, 1) drives the jitter:
 * the base delay is scaled by a factor uniform in [1 - jitter, 1 + jitter).
 * @example backoffDelay({ type: 'exponential', initialMs: 1000, maxMs: 60000, factor: 2, jitter: 0 }, 3, 0.5) // 4000
 */
export function backoffDelay(policy: BackoffPolicy, attempt: number, random: number): number {
  const n = Math.max(1, attempt);
  const base =
    policy.type === 'fixed' || policy.initialMs === 0
      ? policy.initialMs
      : policy.initialMs * Math.pow(policy.factor, n - 1);
  const capped = Number.isFinite(base) ? Math.min(base, policy.maxMs) : policy.maxMs;
  const scale = 1 - policy.jitter + 2 * policy.jitter * random;
  return Math.max(0, Math.min(Math.round(capped * scale), Math.round(policy.maxMs * (1 + policy.jitter))));
}
