/**
 * The engine: Docket's queue semantics over any Store. It validates input, applies policy
 * (defaults, retries, backoff, expiry), asks the store for one atomic transition per operation,
 * wakes long-polling consumers and announces lifecycle events. It owns the background services.
 *
 * States: created → started (services running) → closed (services stopped, waiters released,
 * store closed). Operations work before `start()` (library mode may drive services by hand);
 * after `close()` they reject with UnavailableError from the store.
 */
import {
  InvalidArgumentError,
  JobNotFoundError,
  QueueNotFoundError,
  limits,
  type DeadReason,
  type Job,
  type JobAttempts,
  type JobState,
  type LeasedJob,
  type Page,
  type QueueConfig,
  type QueueInfo,
  type GroupStats,
  type QueueStats,
  type Schedule,
  type ScheduleInput,
  type WorkerInfo,
} from '@docket/protocol';
import { systemClock, type Clock } from './clock.ts';
import type {
  AckItem,
  EnqueueEachItem,
  EnqueueOutcome,
  AckOptions,
  Engine,
  EnqueueInput,
  ExtendOptions,
  LeaseOptions,
  ListOptions,
  NackItem,
  NackOptions,
  PageOptions,
  WaitOptions,
} from './engine-api.ts';
import { EventHub } from './event-hub.ts';
import type { EngineEvents } from './events.ts';
import type { EngineCore } from './engine-core.ts';
import { ulidFactory, type IdFactory } from './ids.ts';
import { LeaseWaiters } from './lease-waiters.ts';
import { LimitWakes } from './limit-wakes.ts';
import { leaseJobs } from './operations/lease.ts';
import { nackJob, nackJobs } from './operations/nack.ts';
import { ackJob, ackJobs, announceExpired } from './operations/settle.ts';
import { enqueueEach, enqueueJobs } from './operations/enqueue.ts';
import { waitForJob } from './operations/wait-for.ts';
import { purgeResetsTotals } from './policy/totals.ts';
import { QueueConfigs } from './queue-configs.ts';
import { ScheduleOperations } from './schedules/operations.ts';
import { Scheduler } from './schedules/scheduler.ts';
import { EngineServices, type ServicesConfig } from './services/engine-services.ts';
import type { ServiceContext } from './services/context.ts';
import type { EnqueueResult, SettleOutcome, Store } from './store.ts';
import * as v from './validate.ts';

export interface EngineOptions {
  readonly store: Store;
  readonly clock?: Clock;
  /** Random numbers in [0, 1) for backoff jitter. */
  readonly random?: () => number;
  readonly ids?: IdFactory;
  readonly services?: ServicesConfig;
  /** Called when an event listener or a background service throws. */
  readonly onError?: (err: unknown) => void;
}

/**
 * @example
 * const engine = createEngine({ store: createSqliteStore({ path: './data/docket.db' }) });
 * await engine.enqueue('emails', { data: { to: 'a@example.com' } });
 */
export function createEngine(options: EngineOptions): Engine {
  return new DocketEngine(options);
}

class DocketEngine implements Engine {
  readonly events: EventHub<EngineEvents>;
  readonly #core: EngineCore;
  readonly #scheduler: Scheduler;
  readonly #schedules: ScheduleOperations;
  /** Unsubscribes from other nodes' ready notifications (a no-op for a single-node store). */
  readonly #stopListening: () => void;

  constructor(options: EngineOptions) {
    const onError = options.onError ?? (() => {});
    const clock = options.clock ?? systemClock();
    const events = new EventHub<EngineEvents>(onError);
    const waiters = new LeaseWaiters(clock);
    const random = options.random ?? Math.random;
    const store = options.store;
    const ctx: ServiceContext = {
      store,
      events,
      random,
      wake: (queue, count) => {
        waiters.wake(queue, count);
        if (store.capabilities.notify) store.notifyReady(queue, count);
      },
      delayed: (runAt) => services.delayed(runAt),
    };
    const hooks = {
      onRan: (service: string, count: number) => events.emit('service:ran', { service, count }),
      onError: (service: string, error: unknown) => {
        events.emit('service:error', { service, error });
        onError(error);
      },
    };
    const services: EngineServices = new EngineServices(ctx, clock, options.services ?? {}, hooks);
    this.events = events;
    const configs = new QueueConfigs(options.store, clock);
    const limitWakes = new LimitWakes(events, configs, clock, (queue) => {
      ctx.wake(queue, 1);
      events.emit('queue:ready', { queue, count: 1 });
    });
    this.#core = {
      store: options.store,
      clock,
      events,
      waiters,
      configs,
      limitWakes,
      ids: options.ids ?? ulidFactory(),
      ctx,
      services,
    };
    const core = this.#core;
    this.#scheduler = new Scheduler(
      () => core,
      clock,
      store.capabilities.sharedClock,
      hooks,
      options.services?.scheduler,
    );
    this.#schedules = new ScheduleOperations(core, this.#scheduler);
    this.#stopListening = store.onReady((queue, count) => {
      waiters.wake(queue, count);
      events.emit('queue:ready', { queue, count });
    });
  }

  async enqueue(queue: string, input: EnqueueInput): Promise<EnqueueResult> {
    const [result] = await enqueueJobs(this.#core, queue, [input], false);
    return result as EnqueueResult;
  }

  enqueueMany(queue: string, inputs: readonly EnqueueInput[]): Promise<EnqueueResult[]> {
    return enqueueJobs(this.#core, queue, inputs, true);
  }

  enqueueEach(items: readonly EnqueueEachItem[]): Promise<EnqueueOutcome[]> {
    return enqueueEach(this.#core, items);
  }

  lease(options: LeaseOptions): Promise<LeasedJob[]> {
    return leaseJobs(this.#core, options);
  }

  ack(id: string, options: AckOptions): Promise<Job> {
    return ackJob(this.#core, { ...options, id });
  }

  ackMany(items: readonly AckItem[]): Promise<SettleOutcome[]> {
    return ackJobs(this.#core, items);
  }

  nack(id: string, options: NackOptions): Promise<Job> {
    return nackJob(this.#core, id, options);
  }

  nackMany(items: readonly NackItem[]): Promise<SettleOutcome[]> {
    return nackJobs(this.#core, items);
  }

  async extend(id: string, options: ExtendOptions): Promise<LeasedJob> {
    v.assertJobId(id);
    v.assertToken(options.token);
    const now = this.#core.clock.now();
    let leaseMs = options.leaseMs;
    if (leaseMs === undefined) leaseMs = (await this.get(id)).leaseMs;
    v.assertLeaseMs(leaseMs);
    const job = await this.#core.store
      .jobExtend({ id, token: options.token, now, leaseMs })
      .catch((err: unknown) => announceExpired(this.#core, id, err));
    this.#core.services.leased(job.leaseExpiresAt);
    return job;
  }

  async get(id: string): Promise<Job> {
    v.assertJobId(id);
    const job = await this.#core.store.jobGet({ id });
    if (job === null) throw new JobNotFoundError(id);
    return job;
  }

  async attempts(id: string): Promise<JobAttempts> {
    v.assertJobId(id);
    const attempts = await this.#core.store.jobAttempts({ id });
    if (attempts === null) throw new JobNotFoundError(id);
    return attempts;
  }

  waitFor(id: string, options: WaitOptions): Promise<Job> {
    v.assertJobId(id);
    v.assertNonNegativeInt(options.waitMs, 'waitMs', limits.MAX_WAIT_MS);
    return waitForJob(this.#core, id, options);
  }

  async cancel(id: string): Promise<Job> {
    v.assertJobId(id);
    const job = await this.#core.store.jobCancel({ id, now: this.#core.clock.now() });
    this.events.emit('job:dead', { job });
    return job;
  }

  async promote(id: string): Promise<Job> {
    v.assertJobId(id);
    const job = await this.#core.store.jobPromote({ id, now: this.#core.clock.now() });
    if (job === null) {
      const current = await this.get(id);
      throw new InvalidArgumentError(`job ${id} is ${current.state}: only a delayed job can be promoted`, {
        field: 'state',
        state: current.state,
      });
    }
    this.events.emit('job:promoted', { job });
    this.#core.ctx.wake(job.queue, 1);
    return job;
  }

  async retry(id: string): Promise<Job> {
    v.assertJobId(id);
    const job = await this.#core.store.jobRetry({ id, now: this.#core.clock.now() });
    if (job === null) {
      const current = await this.get(id);
      throw new InvalidArgumentError(`job ${id} is ${current.state}: only a dead job can be retried`, {
        field: 'state',
        state: current.state,
      });
    }
    this.events.emit('queue:redriven', { queue: job.queue, count: 1 });
    this.#core.ctx.wake(job.queue, 1);
    return job;
  }

  async delete(id: string): Promise<void> {
    const job = await this.get(id);
    if (!(await this.#core.store.jobDelete({ id }))) throw new JobNotFoundError(id);
    this.events.emit('job:deleted', { id, queue: job.queue });
  }

  list(queue: string, options: ListOptions = {}): Promise<Page<Job>> {
    v.assertQueueName(queue);
    const limit = options.limit ?? 50;
    v.assertNonNegativeInt(limit, 'limit', limits.MAX_LIST_LIMIT);
    return this.#core.store.jobList({ queue, state: options.state ?? null, limit, cursor: options.cursor ?? null });
  }

  async configureQueue(queue: string, config: QueueConfig): Promise<QueueInfo> {
    v.assertQueueName(queue);
    v.assertQueueConfig(config);
    const info = await this.#core.store.queueConfigure({ queue, config, now: this.#core.clock.now() });
    this.#core.configs.update(info);
    return info;
  }

  async countFailures(queue: string, count = 1): Promise<QueueInfo> {
    v.assertQueueName(queue);
    v.assertPositiveInt(count, 'count', Number.MAX_SAFE_INTEGER);
    return this.#core.store.queueCountFailures({ queue, count, now: this.#core.clock.now() });
  }

  async pause(queue: string): Promise<QueueInfo> {
    v.assertQueueName(queue);
    const info = await this.#core.store.queuePause({ queue, now: this.#core.clock.now() });
    this.events.emit('queue:paused', { queue: info });
    return info;
  }

  async resume(queue: string): Promise<QueueInfo> {
    v.assertQueueName(queue);
    const info = await this.#core.store.queueResume({ queue, now: this.#core.clock.now() });
    this.events.emit('queue:resumed', { queue: info });
    this.#core.ctx.wake(queue, Number.MAX_SAFE_INTEGER);
    return info;
  }

  async purge(queue: string, options: { readonly states?: readonly JobState[] } = {}): Promise<number> {
    v.assertQueueName(queue);
    const states = options.states ?? null;
    const count = await this.#core.store.queuePurge({ queue, states, resetTotals: purgeResetsTotals(states) });
    this.events.emit('queue:purged', { queue, count });
    return count;
  }

  async deleteQueue(queue: string): Promise<void> {
    v.assertQueueName(queue);
    if (!(await this.#core.store.queueDelete({ queue }))) throw new QueueNotFoundError(queue);
    this.#core.configs.forget(queue);
  }

  async redrive(queue: string, options: { readonly reason?: DeadReason } = {}): Promise<number> {
    v.assertQueueName(queue);
    let total = 0;
    for (;;) {
      const count = await this.#core.store.queueRedrive({
        queue,
        reason: options.reason ?? null,
        now: this.#core.clock.now(),
        limit: REDRIVE_BATCH,
      });
      total += count;
      if (count < REDRIVE_BATCH) break;
    }
    this.events.emit('queue:redriven', { queue, count: total });
    if (total > 0) this.#core.ctx.wake(queue, total);
    return total;
  }

  async stats(queue: string): Promise<QueueStats> {
    v.assertQueueName(queue);
    const info = await this.#core.store.queueGet({ queue });
    if (info === null) throw new QueueNotFoundError(queue);
    return { ...info, counts: await this.#core.store.queueStats({ queue }) };
  }

  async groupStats(queue: string, options: { readonly limit?: number } = {}): Promise<GroupStats[]> {
    v.assertQueueName(queue);
    const limit = options.limit ?? 20;
    v.assertNonNegativeInt(limit, 'limit', limits.MAX_LIST_LIMIT);
    if ((await this.#core.store.queueGet({ queue })) === null) throw new QueueNotFoundError(queue);
    return this.#core.store.queueGroups({ queue, limit });
  }

  async listQueues(options: PageOptions = {}): Promise<Page<QueueStats>> {
    const limit = options.limit ?? 100;
    v.assertNonNegativeInt(limit, 'limit', limits.MAX_LIST_LIMIT);
    const page = await this.#core.store.queueList({ limit, cursor: options.cursor ?? null });
    const items = await Promise.all(
      page.items.map(async (info) => ({ ...info, counts: await this.#core.store.queueStats({ queue: info.name }) })),
    );
    return { items, cursor: page.cursor };
  }

  putSchedule(name: string, input: ScheduleInput): Promise<Schedule> {
    return this.#schedules.put(name, input);
  }

  getSchedule(name: string): Promise<Schedule> {
    return this.#schedules.get(name);
  }

  listSchedules(options: PageOptions = {}): Promise<Page<Schedule>> {
    return this.#schedules.list(options);
  }

  deleteSchedule(name: string): Promise<void> {
    return this.#schedules.delete(name);
  }

  triggerSchedule(name: string): Promise<Job> {
    return this.#schedules.trigger(name);
  }

  pauseSchedule(name: string): Promise<Schedule> {
    return this.#schedules.setPaused(name, true);
  }

  resumeSchedule(name: string): Promise<Schedule> {
    return this.#schedules.setPaused(name, false);
  }

  listWorkers(options: PageOptions = {}): Promise<Page<WorkerInfo>> {
    const limit = options.limit ?? 100;
    v.assertNonNegativeInt(limit, 'limit', limits.MAX_LIST_LIMIT);
    return this.#core.store.workerList({ limit, cursor: options.cursor ?? null });
  }

  parkedLeases(): number {
    return this.#core.waiters.size();
  }

  async workerSeen(id: string, queues: readonly string[]): Promise<void> {
    v.assertWorkerId(id);
    for (const queue of queues) v.assertQueueName(queue);
    await this.#core.store.workerSeen({ id, queues, now: this.#core.clock.now() });
  }

  start(): void {
    this.#core.services.start();
    this.#scheduler.start();
  }

  async close(): Promise<void> {
    this.#stopListening();
    this.#core.limitWakes.close();
    this.#core.waiters.closeAll();
    await Promise.all([this.#core.services.stop(), this.#scheduler.stop()]);
    await this.#core.store.close();
  }
}

/** Redrive moves dead jobs in commits of this many, so a large dead backlog never blocks one commit. */
const REDRIVE_BATCH = 1_000;
