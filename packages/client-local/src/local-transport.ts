/**
 * The Transport over an in-process engine (library mode): each operation is the engine method
 * of the same name, so the SDK behaves as it does over HTTP, minus the network. Errors are the
 * engine's own protocol classes; aborting a lease makes the engine give back what it claimed.
 * Events come straight from the engine's event hub (local-events.ts). There is no consumer
 * stream: it saves round trips over a network, which library mode does not have, so a worker
 * asked to use it refuses and the lease loop serves instead.
 */
import type {
  AckRequest,
  EventsRequest,
  EnqueueCallOptions,
  EnqueueRequest,
  EnqueueResult,
  ExtendRequest,
  LeaseRequest,
  ListRequest,
  NackRequest,
  PageRequest,
  PurgeRequest,
  RedriveRequest,
  Transport,
  WaitRequest,
} from '@docket/client';
import type { Engine } from '@docket/core';
import type {
  Job,
  JobAttempts,
  LeasedJob,
  Page,
  QueueEvent,
  QueueConfig,
  QueueInfo,
  QueueStats,
  Schedule,
  ScheduleInput,
} from '@docket/protocol';
import { localEvents } from './local-events.ts';

/**
 * @example
 * const transport = createLocalTransport(engine);
 * const [job] = await transport.lease({ queues: ['emails'] });
 */
export function createLocalTransport(engine: Engine): Transport {
  return new LocalTransport(engine);
}

class LocalTransport implements Transport {
  readonly #engine: Engine;

  constructor(engine: Engine) {
    this.#engine = engine;
  }

  async enqueue(queue: string, request: EnqueueRequest, options: EnqueueCallOptions = {}): Promise<EnqueueResult> {
    options.signal?.throwIfAborted();
    return this.#engine.enqueue(queue, request);
  }

  enqueueMany(queue: string, requests: readonly EnqueueRequest[]): Promise<EnqueueResult[]> {
    return this.#engine.enqueueMany(queue, requests);
  }

  lease(request: LeaseRequest): Promise<LeasedJob[]> {
    return this.#engine.lease(request);
  }

  ack(id: string, request: AckRequest): Promise<Job> {
    return this.#engine.ack(id, request);
  }

  nack(id: string, request: NackRequest): Promise<Job> {
    return this.#engine.nack(id, request);
  }

  extend(id: string, request: ExtendRequest): Promise<LeasedJob> {
    return this.#engine.extend(id, request);
  }

  get(id: string): Promise<Job> {
    return this.#engine.get(id);
  }

  attempts(id: string): Promise<JobAttempts> {
    return this.#engine.attempts(id);
  }

  waitFor(id: string, request: WaitRequest): Promise<Job> {
    return this.#engine.waitFor(id, request);
  }

  cancel(id: string): Promise<Job> {
    return this.#engine.cancel(id);
  }

  delete(id: string): Promise<void> {
    return this.#engine.delete(id);
  }

  list(queue: string, request?: ListRequest): Promise<Page<Job>> {
    return this.#engine.list(queue, request);
  }

  configure(queue: string, config: QueueConfig): Promise<QueueInfo> {
    return this.#engine.configureQueue(queue, config);
  }

  pause(queue: string): Promise<QueueInfo> {
    return this.#engine.pause(queue);
  }

  resume(queue: string): Promise<QueueInfo> {
    return this.#engine.resume(queue);
  }

  purge(queue: string, request?: PurgeRequest): Promise<number> {
    return this.#engine.purge(queue, request);
  }

  redrive(queue: string, request?: RedriveRequest): Promise<number> {
    return this.#engine.redrive(queue, request);
  }

  stats(queue: string): Promise<QueueStats> {
    return this.#engine.stats(queue);
  }

  listQueues(request?: PageRequest): Promise<Page<QueueStats>> {
    return this.#engine.listQueues(request);
  }

  putSchedule(name: string, input: ScheduleInput): Promise<Schedule> {
    return this.#engine.putSchedule(name, input);
  }

  getSchedule(name: string): Promise<Schedule> {
    return this.#engine.getSchedule(name);
  }

  listSchedules(request?: PageRequest): Promise<Page<Schedule>> {
    return this.#engine.listSchedules(request);
  }

  deleteSchedule(name: string): Promise<void> {
    return this.#engine.deleteSchedule(name);
  }

  triggerSchedule(name: string): Promise<Job> {
    return this.#engine.triggerSchedule(name);
  }

  pauseSchedule(name: string): Promise<Schedule> {
    return this.#engine.pauseSchedule(name);
  }

  resumeSchedule(name: string): Promise<Schedule> {
    return this.#engine.resumeSchedule(name);
  }

  events(queue: string, request: EventsRequest = {}): AsyncIterable<QueueEvent> {
    return localEvents(this.#engine.events, queue, request);
  }
}
