/**
 * Turns a producer's input into a fully resolved NewJob: job options beat the queue's config,
 * which beats the engine defaults. Pure apart from the id it is given.
 */
import type { JobOptions, JsonValue, QueueConfig } from '@docket/protocol';
import { BACKOFF_DEFAULT, DEDUP_WINDOW_MS_DEFAULT, LEASE_MS_DEFAULT, MAX_ATTEMPTS_DEFAULT } from './defaults.ts';
import type { NewJob } from './store.ts';

export interface ResolveInput {
  readonly queue: string;
  readonly data: JsonValue | Uint8Array;
  readonly options: JobOptions;
  readonly config: QueueConfig;
  readonly now: number;
  readonly generatedId: string;
}

export function resolveJob({ queue, data, options: o, config, now, generatedId }: ResolveInput): NewJob {
  const runAt = o.runAt ?? now + (o.delayMs ?? 0);
  const ttlMs = o.ttlMs ?? config.ttlMs;
  const expiresAt = o.expiresAt ?? (ttlMs === undefined ? null : now + ttlMs);
  return {
    id: o.id ?? generatedId,
    queue,
    name: o.name ?? null,
    state: runAt > now ? 'delayed' : 'waiting',
    encoding: data instanceof Uint8Array ? 'bytes' : 'json',
    data,
    priority: o.priority ?? 0,
    createdAt: now,
    runAt: Math.max(runAt, now),
    expiresAt,
    maxAttempts: o.maxAttempts ?? config.maxAttempts ?? MAX_ATTEMPTS_DEFAULT,
    backoff: o.backoff ?? config.backoff ?? BACKOFF_DEFAULT,
    leaseMs: o.leaseMs ?? config.leaseMs ?? LEASE_MS_DEFAULT,
    timeoutMs: o.timeoutMs ?? config.timeoutMs ?? null,
    dedupKey: o.dedupKey ?? null,
    dedupUntil: o.dedupKey === undefined ? null : now + (o.dedupWindowMs ?? DEDUP_WINDOW_MS_DEFAULT),
    meta: o.meta ?? {},
    ...(o.group === undefined ? {} : { group: o.group }),
  };
}
