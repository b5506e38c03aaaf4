/**
 * The Redis store: every multi-step operation is one Lua script (scripts/), so it is atomic
 * against every other client, including other Docket servers over the same prefix. Time comes
 * from Redis TIME inside the scripts (time mode `backend`, the default), so servers with skewed
 * clocks agree; ready notifications cross servers by pub/sub (ready-notifier.ts).
 *
 * Durability: an operation resolves once Redis has applied it. Whether it survives a Redis crash
 * is Redis's persistence setting (appendonly, appendfsync): see redisBackendWarnings.
 *
 * States: open → closed. `close()` stops accepting calls, waits for the calls in flight, then
 * closes both connections; after it every call rejects with UnavailableError. While Redis is
 * unreachable calls reject at once with UnavailableError and probe() says why; the connection
 * reconnects by itself (connection.ts), so no restart is needed when Redis returns.
 */
import { UnavailableError } from '@docket/protocol';
import type { QueueStateParams, Store } from '@docket/core';
import { CONNECT_TIMEOUT_MS_DEFAULT, COMMAND_TIMEOUT_MS_DEFAULT, Connection } from './connection.ts';
import { jobAttempts, jobCancel, jobDelete, jobGet, jobPromote, jobRetry } from './job-admin.ts';
import { jobEnqueueMany } from './job-enqueue.ts';
import { jobLease } from './job-lease.ts';
import { jobList } from './job-list.ts';
import { jobDeleteRetained, jobExpireDue, jobLeaseExpired, jobPromoteDue } from './job-maintenance.ts';
import { jobAck, jobAckMany, jobExtend, jobNack, jobNackMany } from './job-settle.ts';
import { KEY_LAYOUT_VERSION, keyLayout } from './key-layout.ts';
import {
  queueConfigure,
  queueCountFailures,
  queueDelete,
  queueGet,
  queueGroups,
  queueList,
  queuePurge,
  queueRedrive,
  queueSetPaused,
  queueStats,
} from './queue-admin.ts';
import { ReadyNotifier } from './ready-notifier.ts';
import { toStoreError } from './redis-errors.ts';
import {
  scheduleDelete,
  scheduleDue,
  scheduleFire,
  scheduleFireMany,
  scheduleGet,
  scheduleList,
  schedulePut,
} from './schedule-registry.ts';
import { loadAll } from './script-catalog.ts';
import { run, type StoreContext, type TimeMode } from './store-context.ts';
import { asNumber } from './replies.ts';
import { tokenCreate, tokenGet, tokenList, tokenRevoke, tokenTouch } from './token-registry.ts';
import { workerList, workerSeen } from './worker-registry.ts';

export interface RedisStoreOptions {
  /** `redis://[user:password@]host:port[/db]` or `rediss://…` for TLS. */
  readonly url: string;
  /** Names the deployment: every key starts with `{<prefix>}`. Default `docket`. */
  readonly prefix?: string;
  /** `backend` (default): Redis TIME; `caller`: the `now` each call passes (tests on a manual clock). */
  readonly time?: TimeMode;
  /** A command without a reply for this long rejects with UnavailableError. Default 15 s. */
  readonly commandTimeoutMs?: number;
  /** How long to wait for a connection (and for the first one, in migrate). Default 5 s. */
  readonly connectTimeoutMs?: number;
}

type Operation<P, R> = (ctx: StoreContext, p: P) => Promise<R>;

/** Waits for the first connection, records the key layout version, and loads the scripts. */
async function migrate(ctx: StoreContext, connection: Connection, connectTimeoutMs: number): Promise<void> {
  await connection.ready(connectTimeoutMs);
  const found = asNumber(await run(ctx, 'schema-migrate', [String(KEY_LAYOUT_VERSION)]));
  if (found > KEY_LAYOUT_VERSION) {
    throw new UnavailableError(
      `redis prefix ${ctx.keys.prefix} holds key layout ${found}, written by a newer Docket; this one reads layout ${KEY_LAYOUT_VERSION}`,
      { prefix: ctx.keys.prefix, found, supported: KEY_LAYOUT_VERSION },
    );
  }
  await loadAll(ctx.client);
}

/**
 * Connects (in the background) to Redis; call `migrate()` before the first operation: it waits
 * for the connection and loads the scripts.
 *
 * @example
 * const store = createRedisStore({ url: 'redis://127.0.0.1:6379', prefix: 'docket' });
 * await store.migrate();
 */
export function createRedisStore(options: RedisStoreOptions): Store {
  const keys = keyLayout(options.prefix ?? 'docket');
  const connectTimeoutMs = options.connectTimeoutMs ?? CONNECT_TIMEOUT_MS_DEFAULT;
  const connection = new Connection(options.url, {
    commandTimeoutMs: options.commandTimeoutMs ?? COMMAND_TIMEOUT_MS_DEFAULT,
    connectTimeoutMs,
  });
  const ctx: StoreContext = { client: connection.client, keys, time: options.time ?? 'backend' };
  const notifier = new ReadyNotifier(connection.client, keys.channel);
  const inFlight = new Set<Promise<unknown>>();
  let closed = false;

  const closedError = (): UnavailableError => new UnavailableError('redis store is closed');

  /** Runs `call` unless closed, as a call in flight for close(), with its errors as protocol errors. */
  const guard = <R>(name: string, call: () => Promise<R>): Promise<R> => {
    if (closed) return Promise.reject(closedError());
    const pending = call().catch((err: unknown) => {
      throw toStoreError(err, name);
    });
    inFlight.add(pending);
    const forget = (): void => {
      inFlight.delete(pending);
    };
    pending.then(forget, forget);
    return pending;
  };
  const op =
    <P, R>(name: string, operation: Operation<P, R>) =>
    (p: P): Promise<R> =>
      guard(name, () => operation(ctx, p));

  return {
    name: 'redis',
    capabilities: { notify: true, sharedClock: true, orderedWrites: false },

    jobAck: op('job-ack', jobAck),
    jobAckMany: op('job-ack-many', jobAckMany),
    jobAttempts: op('job-attempts', jobAttempts),
    jobCancel: op('job-cancel', jobCancel),
    jobDelete: op('job-delete', jobDelete),
    jobDeleteRetained: op('job-delete-retained', jobDeleteRetained),
    jobEnqueueMany: op('job-enqueue', jobEnqueueMany),
    jobExpireDue: op('job-expire-due', jobExpireDue),
    jobExtend: op('job-extend', jobExtend),
    jobGet: op('job-get', jobGet),
    jobLease: op('job-lease', jobLease),
    jobLeaseExpired: op('job-lease-expired', jobLeaseExpired),
    jobList: op('job-list', jobList),
    jobNack: op('job-nack', jobNack),
    jobNackMany: op('job-nack-many', jobNackMany),
    jobPromote: op('job-promote', jobPromote),
    jobPromoteDue: op('job-promote-due', jobPromoteDue),
    jobRetry: op('job-retry', jobRetry),

    queueConfigure: op('queue-configure', queueConfigure),
    queueCountFailures: op('queue-count-failures', queueCountFailures),
    queueDelete: op('queue-delete', queueDelete),
    queueGet: op('queue-get', queueGet),
    queueGroups: op('queue-groups', queueGroups),
    queueList: op('queue-list', queueList),
    queuePause: op('queue-pause', (c, p: QueueStateParams) => queueSetPaused(c, p, true)),
    queuePurge: op('queue-purge', queuePurge),
    queueRedrive: op('queue-redrive', queueRedrive),
    queueResume: op('queue-resume', (c, p: QueueStateParams) => queueSetPaused(c, p, false)),
    queueStats: op('queue-stats', queueStats),

    scheduleDelete: op('schedule-delete', scheduleDelete),
    scheduleDue: op('schedule-due', scheduleDue),
    scheduleFire: op('schedule-fire', scheduleFire),
    scheduleFireMany: op('schedule-fire', scheduleFireMany),
    scheduleGet: op('schedule-get', scheduleGet),
    scheduleList: op('schedule-list', scheduleList),
    schedulePut: op('schedule-put', schedulePut),

    tokenCreate: op('token-create', tokenCreate),
    tokenGet: op('token-get', tokenGet),
    tokenList: op('token-list', tokenList),
    tokenRevoke: op('token-revoke', tokenRevoke),
    tokenTouch: op('token-touch', tokenTouch),

    workerList: op('worker-list', workerList),
    workerSeen: op('worker-seen', workerSeen),

    notifyReady(queue: string, count: number): void {
      if (!closed) notifier.notify(queue, count);
    },
    onReady(listener: (queue: string, count: number) => void): () => void {
      if (closed) return () => undefined;
      return notifier.listen(listener);
    },
    async probe(): Promise<string | null> {
      if (closed) return 'redis store is closed';
      const problem = connection.problem;
      if (problem !== null) return problem;
      try {
        await connection.client.ping();
        return null;
      } catch (err) {
        return `redis ping failed: ${(err as Error).message}`;
      }
    },

    migrate: () => guard('migrate', () => migrate(ctx, connection, connectTimeoutMs)),

    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      await Promise.allSettled(inFlight);
      notifier.close();
      await connection.close();
    },
  };
}
