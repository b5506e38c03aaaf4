/** NewJob inputs for the Redis-specific tests, with the engine's defaults. */
import { randomUUID } from 'node:crypto';
import type { NewJob } from '@docket/core';

export function makeJob(overrides: Partial<NewJob> = {}): NewJob {
  return {
    id: `job-${randomUUID()}`,
    queue: 'q',
    name: null,
    state: 'waiting',
    encoding: 'json',
    data: { hello: 'redis' },
    priority: 0,
    createdAt: 1_000,
    runAt: 1_000,
    expiresAt: null,
    maxAttempts: 3,
    backoff: { type: 'fixed', initialMs: 1000, maxMs: 1000, factor: 1, jitter: 0 },
    leaseMs: 30_000,
    timeoutMs: null,
    dedupKey: null,
    dedupUntil: null,
    meta: {},
    ...overrides,
  };
}

/** `count` fresh lease tokens. */
export function tokens(count: number): string[] {
  return Array.from({ length: count }, () => `lease-${randomUUID()}`);
}
