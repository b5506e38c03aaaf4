/**
 * Builders for the inputs the cases hand a store: NewJob objects with the engine's defaults,
 * fresh lease tokens, job errors, and the fixed start of the manual timeline every case uses.
 */
import { randomUUID } from 'node:crypto';
import type { BackoffPolicy, JobError } from '@docket/protocol';
import type { NewJob } from '@docket/core';

/** The start of every case's timeline; cases add to it and never read the wall clock. */
export const T0 = 1_700_000_000_000;

/** The queue cases use when the queue itself is not the subject. */
export const QUEUE = 'conformance';

export const DEFAULT_LEASE_MS = 30_000;

export const DEFAULT_BACKOFF: BackoffPolicy = {
  type: 'exponential',
  initialMs: 1000,
  maxMs: 3_600_000,
  factor: 2,
  jitter: 0.2,
};

let counter = 0;

/** A waiting job ready at `T0` in QUEUE, with unique id and payload; `overrides` win. */
export function newJob(overrides: Partial<NewJob> = {}): NewJob {
  counter += 1;
  return {
    id: `job-${counter}-${randomUUID()}`,
    queue: QUEUE,
    name: null,
    state: 'waiting',
    encoding: 'json',
    data: { n: counter },
    priority: 0,
    createdAt: T0,
    runAt: T0,
    expiresAt: null,
    maxAttempts: 5,
    backoff: DEFAULT_BACKOFF,
    leaseMs: DEFAULT_LEASE_MS,
    timeoutMs: null,
    dedupKey: null,
    dedupUntil: null,
    meta: {},
    ...overrides,
  };
}

/** A job enqueued at `T0` that becomes due at `runAt`. */
export function delayedJob(runAt: number, overrides: Partial<NewJob> = {}): NewJob {
  return newJob({ state: 'delayed', runAt, ...overrides });
}

/** `count` fresh, unique lease tokens. */
export function freshTokens(count: number): string[] {
  return Array.from({ length: count }, () => `lease-${randomUUID()}`);
}

/** An error as a consumer reports it. */
export function jobError(message: string, at: number, attempt: number): JobError {
  return { message, stack: `Error: ${message}\n    at handler (worker.ts:1:1)`, at, attempt };
}
