/** Builds fully resolved NewJob values for store tests, with the engine's defaults filled in. */
import type { NewJob } from '@docket/core';

export const DEFAULT_BACKOFF = {
  type: 'exponential',
  initialMs: 1000,
  maxMs: 3_600_000,
  factor: 2,
  jitter: 0.2,
} as const;

let counter = 0;

export function makeJob(overrides: Partial<NewJob> & { readonly now?: number } = {}): NewJob {
  const { now = 1_000, ...rest } = overrides;
  counter += 1;
  return {
    id: `job-${counter}`,
    queue: 'q',
    name: null,
    state: 'waiting',
    encoding: 'json',
    data: { n: counter },
    priority: 0,
    createdAt: now,
    runAt: now,
    expiresAt: null,
    maxAttempts: 5,
    backoff: DEFAULT_BACKOFF,
    leaseMs: 30_000,
    timeoutMs: null,
    dedupKey: null,
    dedupUntil: null,
    meta: {},
    ...rest,
  };
}
