/**
 * The PostgreSQL store: several Docket servers share one schema of one database.
 *
 * Each operation runs on one pooled connection (executor.ts): as one guarded statement in
 * autocommit where that is enough (lease, ack, nack, extend, cancel, promotion, expiry, an
 * enqueue without dedupKeys), otherwise in a transaction (an enqueue with dedupKeys, queue
 * upserts and delete, retention); it resolves after COMMIT
 * returned. The background services' operations (promotion, reaping, expiry, retention) run on
 * a small pool of their own, so a burst of them never delays consumers. Leases use FOR UPDATE
 * SKIP LOCKED, so servers never hand out one job twice; the background services'
 * statements skip locked rows and re-check state, so running them on every server has no double
 * effects. Time comes from the database in `backend` mode (backend-clock.ts, rebase.ts). Other servers' long-polls
 * are woken with NOTIFY on a channel of the schema (ready-notifier.ts sends, ready-listener.ts hears).
 *
 * States: open → closed. `close()` refuses new calls, lets the calls in flight finish, stops the
 * listener and ends the pools; later calls reject with UnavailableError. While the database is
 * unreachable calls reject with UnavailableError and `probe()` says why; the pool reconnects by
 * itself when it is back.
 */
import { randomUUID } from 'node:crypto';
import type { Job } from '@docket/protocol';
import type {
  EnqueueResult,
  JobEnqueueManyParams,
  JobLeaseParams,
  JobNackParams,
  LeaseResult,
  QueueStateParams,
  ScheduleFireParams,
  ScheduleFireResult,
  Store,
} from '@docket/core';
import { GROUP_LANE, leaseResult, scheduleFireEach } from '@docket/core/store-support';
import { createBackendClock } from './backend-clock.ts';
import { toStoreError } from './pg-errors.ts';
import { createExecutor, type Executor, type OpMode } from './executor.ts';
import { jobAttempts, jobCancel, jobDelete, jobGet, jobPromote, jobRetry } from './job-admin.ts';
import { dedupLockKeys, encodePayloads, jobEnqueueMany, jobEnqueueManyBounded } from './job-enqueue.ts';
import { jobLease, jobLeaseLimited } from './job-lease.ts';
import { LimitedQueues, PendingCalls } from './queue-flow.ts';
import { jobList } from './job-list.ts';
import { jobDeleteRetained, jobExpireDue, jobLeaseExpired, jobPromoteDue } from './job-maintenance.ts';
import { jobAck, jobExtend, jobNack } from './job-settle.ts';
import { jobAckMany, jobNackMany } from './job-settle-many.ts';
import { loadMigrations, migrate } from './migrator.ts';
import { connectionConfig, createPool, POOL_SIZE_DEFAULT, quoteSchema } from './pool.ts';
import { probeDatabase } from './probe.ts';
import { loadQueries } from './query-catalog.ts';
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
import { readyChannel } from './ready-channel.ts';
import { ReadyListener } from './ready-listener.ts';
import { ReadyNotifier } from './ready-notifier.ts';
import { rebaseEnqueue, rebaseNack, rebaseNackMany, rebaseNow, type Rebase } from './rebase.ts';
import {
  scheduleDelete,
  scheduleDue,
  scheduleFire,
  scheduleGet,
  scheduleList,
  schedulePut,
} from './schedule-registry.ts';
import type { Session } from './session.ts';
import { tokenCreate, tokenGet, tokenList, tokenRevoke, tokenTouch } from './token-registry.ts';
import { workerList, workerSeen } from './worker-registry.ts';

/** Where operations take `now` from: the database's clock, or the caller's. */
export type TimeMode = 'backend' | 'caller';

export interface PostgresStoreOptions {
  /** A `postgres://` or `postgresql://` URL, as pg takes it. */
  readonly connectionString: string;
  /** The schema every table lives in (created by migrate). Letters, digits, underscores. Default `docket`. */
  readonly schema?: string;
  /**
   * `backend` (default): each operation takes the database's clock (backend-clock.ts) and
   * rebases the caller's times onto it, so servers with skewed clocks agree. `caller`: `now` is
   * used as given (tests on a manual clock).
   */
  readonly time?: TimeMode;
  /** Pooled connections, besides the one listener connection. Default POOL_SIZE_DEFAULT. */
  readonly poolSize?: number;
}

/**
 * Creates the store; connections open on first use. Call `migrate()` before the first operation.
 *
 * @example
 * const store = createPostgresStore({ connectionString: 'postgres://docket@db:5432/docket' });
 * await store.migrate();
 */
/**
 * Connections for the background services (promotion, reaping, expiry, retention, the
 * scheduler's due query), one each, so that the services of one server run side by side and a
 * slow one (retention deleting a backlog) does not hold up the reaper.
 */
const MAINTENANCE_POOL_SIZE = 5;

export function createPostgresStore(options: PostgresStoreOptions): Store {
  const schema = options.schema ?? 'docket';
  quoteSchema(schema);
  const time = options.time ?? 'backend';
  loadQueries();
  const migrations = loadMigrations();
  const base = { connectionString: options.connectionString, schema };
  const pool = createPool({ ...base, poolSize: options.poolSize ?? POOL_SIZE_DEFAULT });
  const clock = time === 'backend' ? createBackendClock(pool) : null;
  const executor = createExecutor(pool, clock);
  // Background services get connections of their own: a reaper giving back a burst of leases
  // must not queue ahead of the leases and acks of consumers on the main pool.
  const maintenance = createExecutor(createPool({ ...base, poolSize: MAINTENANCE_POOL_SIZE }), clock);
  const nodeId = randomUUID();
  const channel = readyChannel(schema);
  const listener = new ReadyListener({ config: connectionConfig(base), channel, nodeId });
  const notifier = new ReadyNotifier(base, channel, nodeId);

  const on =
    (runner: Executor) =>
    <P, R>(doing: string, mode: OpMode, body: (s: Session, p: P) => Promise<R>, rebase?: Rebase<P>) =>
    (p: P): Promise<R> =>
      runner.run(doing, mode, rebase !== undefined, (s, dbNow) =>
        body(s, dbNow === null || rebase === undefined ? p : rebase(p, dbNow)),
      );
  const op = on(executor);
  const background = on(maintenance);
  const nack = op('jobNack', 'statement', jobNack, rebaseNack);
  const reap = background('jobNack', 'statement', jobNack, rebaseNack);
  const ack = op('jobAck', 'statement', jobAck, rebaseNow);
  const nackOrReap = (p: JobNackParams): Promise<Job> => (p.leaseExpiredOnly ? reap(p) : nack(p));
  const nackMany = op('jobNackMany', 'statement', jobNackMany, rebaseNackMany);
  const reapMany = background('jobNackMany', 'statement', jobNackMany, rebaseNackMany);
  const lease = op('jobLease', 'statement', jobLease, rebaseNow);
  const leaseLimited = op('jobLease', 'transaction', jobLeaseLimited, rebaseNow);
  // A short answer of the fast path may hide a queue that got a limit through another server:
  // look again (at most once per LOOK_AGAIN_MS) and lease the rest on the limited path.
  const leaseFast = async (p: JobLeaseParams): Promise<LeaseResult> => {
    const jobs = await lease(p);
    if (jobs.length >= p.max || !(await limits.lookAgain(p.queues))) return jobs;
    const rest = await leaseLimited({ ...p, max: p.max - jobs.length, tokens: p.tokens.slice(jobs.length) });
    return leaseResult([...jobs, ...rest], rest.throttle ?? null);
  };
  const bounded = <R>(body: (s: Session, p: JobEnqueueManyParams) => Promise<R>) =>
    op('jobEnqueueMany', 'transaction', body, rebaseEnqueue);
  const limits = new LimitedQueues(
    () =>
      executor.run('queueListLimited', 'statement', false, (s) =>
        s.rows<{ name: string; config: string }>('queue-list-limited', {}),
      ),
    (queue) => executor.run('jobGroupAdopt', 'statement', false, (s) => s.count('job-group-adopt', { queue })),
  );
  /** Jobs without a group in a queue with group settings go into its ungrouped lane. */
  const inLanes = (p: JobEnqueueManyParams): JobEnqueueManyParams => {
    if (!p.jobs.some((job) => job.group === undefined && limits.grouped(job.queue))) return p;
    const jobs = p.jobs.map((job) =>
      job.group === undefined && limits.grouped(job.queue) ? { ...job, group: GROUP_LANE } : job,
    );
    return { ...p, jobs };
  };
  const configure = op('queueConfigure', 'transaction', queueConfigure, rebaseNow);
  const scheduleFireOne = (p: ScheduleFireParams): Promise<ScheduleFireResult> => {
    let payloads: Buffer[];
    try {
      payloads = encodePayloads(p.jobs);
    } catch (err) {
      return Promise.reject(toStoreError(err, 'scheduleFire'));
    }
    const lockKeys = dedupLockKeys(schema, p.jobs);
    const bounded = limits.enqueueLimited(new Set(p.jobs.map((job) => job.queue)));
    return executor.run('scheduleFire', 'transaction', true, (s, dbNow) =>
      scheduleFire(s, p, dbNow, { payloads, lockKeys, bounded }),
    );
  };

  // Calls waiting for a refresh of `limits` have not reached the executor yet: close waits for them.
  const routing = new PendingCalls();

  return {
    name: 'postgres',
    capabilities: { notify: true, sharedClock: true, orderedWrites: false },

    jobAck: ack,
    jobAckMany: op('jobAckMany', 'statement', jobAckMany, rebaseNow),
    jobAttempts: op('jobAttempts', 'statement', jobAttempts),
    jobCancel: op('jobCancel', 'statement', jobCancel, rebaseNow),
    jobDelete: op('jobDelete', 'statement', jobDelete),
    jobDeleteRetained: background('jobDeleteRetained', 'transaction', jobDeleteRetained),
    jobEnqueueMany(p) {
      let payloads: Buffer[];
      try {
        payloads = encodePayloads(p.jobs);
      } catch (err) {
        return Promise.reject(toStoreError(err, 'jobEnqueueMany'));
      }
      const lockKeys = dedupLockKeys(schema, p.jobs);
      const enqueue = (): Promise<EnqueueResult[]> => {
        const laned = inLanes(p);
        if (limits.enqueueLimited(new Set(p.jobs.map((job) => job.queue)))) {
          return bounded((s, q: typeof p) => jobEnqueueManyBounded(s, q, payloads, lockKeys))(laned);
        }
        return op(
          'jobEnqueueMany',
          lockKeys.length === 0 ? 'statement' : 'transaction',
          (s, q: typeof p) => jobEnqueueMany(s, q, payloads, lockKeys),
          rebaseEnqueue,
        )(laned);
      };
      const waiting = limits.ready();
      return waiting === null ? enqueue() : routing.track(waiting.then(enqueue));
    },
    jobExpireDue: background('jobExpireDue', 'statement', jobExpireDue, rebaseNow),
    jobExtend: op('jobExtend', 'statement', jobExtend, rebaseNow),
    jobGet: op('jobGet', 'statement', jobGet),
    jobLease(p) {
      const route = () => (limits.leaseLimited(p.queues) ? leaseLimited(p) : leaseFast(p));
      const waiting = limits.ready();
      return waiting === null ? route() : routing.track(waiting.then(route));
    },
    jobLeaseExpired: background('jobLeaseExpired', 'statement', jobLeaseExpired, rebaseNow),
    jobList: op('jobList', 'statement', jobList),
    jobNack: nackOrReap,
    jobNackMany: (p) => (p.nacks.every((item) => item.leaseExpiredOnly) ? reapMany(p) : nackMany(p)),
    jobPromote: op('jobPromote', 'statement', jobPromote, rebaseNow),
    jobRetry: op('jobRetry', 'statement', jobRetry, rebaseNow),
    jobPromoteDue: background('jobPromoteDue', 'statement', jobPromoteDue, rebaseNow),

    async queueConfigure(p) {
      const info = await configure(p);
      limits.configured(p.queue, p.config);
      return info;
    },
    queueCountFailures: op('queueCountFailures', 'transaction', queueCountFailures, rebaseNow),
    queueDelete: op('queueDelete', 'transaction', queueDelete),
    queueGet: op('queueGet', 'statement', queueGet),
    queueGroups: op('queueGroups', 'statement', queueGroups),
    queueList: op('queueList', 'statement', queueList),
    queuePause: op('queuePause', 'transaction', (s, p: QueueStateParams) => queueSetPaused(s, p, true), rebaseNow),
    queuePurge: op('queuePurge', 'statement', queuePurge),
    queueRedrive: op('queueRedrive', 'statement', queueRedrive, rebaseNow),
    queueResume: op('queueResume', 'transaction', (s, p: QueueStateParams) => queueSetPaused(s, p, false), rebaseNow),
    queueStats: op('queueStats', 'statement', queueStats),

    scheduleDelete: op('scheduleDelete', 'statement', scheduleDelete),
    scheduleDue: background('scheduleDue', 'statement', scheduleDue),
    scheduleFire: scheduleFireOne,
    scheduleFireMany: (p) => scheduleFireEach(scheduleFireOne, p),
    scheduleGet: op('scheduleGet', 'statement', scheduleGet),
    scheduleList: op('scheduleList', 'statement', scheduleList),
    schedulePut: op('schedulePut', 'statement', schedulePut),

    tokenCreate: op('tokenCreate', 'statement', tokenCreate),
    tokenGet: op('tokenGet', 'statement', tokenGet),
    tokenList: op('tokenList', 'statement', tokenList),
    tokenRevoke: op('tokenRevoke', 'statement', tokenRevoke),
    tokenTouch: op('tokenTouch', 'statement', tokenTouch),

    workerList: op('workerList', 'statement', workerList),
    workerSeen: op('workerSeen', 'statement', workerSeen, rebaseNow),

    notifyReady(queue: string, count: number): void {
      if (!executor.closed) notifier.notify(queue, count);
    },
    onReady(listenerFn: (queue: string, count: number) => void): () => void {
      return listener.subscribe(listenerFn);
    },
    probe(): Promise<string | null> {
      if (executor.closed) return Promise.resolve('postgres store is closed');
      return probeDatabase(pool);
    },

    async migrate(): Promise<void> {
      await executor.withClient('migrate', (client) => migrate(client, schema, migrations));
      await limits.load();
    },
    async close(): Promise<void> {
      await routing.settled();
      await Promise.all([listener.close(), notifier.close(), executor.close(), maintenance.close()]);
    },
  };
}
