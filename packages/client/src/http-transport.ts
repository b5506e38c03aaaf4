/**
 * The Transport over Docket's /v1 HTTP API. Each operation is one route: it shapes the request
 * body, says whether a repeat is safe, and decodes the answer (`{job}`, `{jobs}`, pages…).
 */
import {
  InvalidArgumentError,
  type Job,
  type JobAttempts,
  type LeasedJob,
  type Page,
  type QueueConfig,
  type QueueEvent,
  type QueueInfo,
  type QueueStats,
  type Schedule,
  type ScheduleInput,
} from '@docket/protocol';
import { HttpRequester, type HttpRequest } from './http-request.ts';
import { retryPolicy, type RetryOptions } from './http-retry.ts';
import { createSender, defaultSenderKind, type SenderKind } from './http-sender.ts';
import { EnqueueCoalescer, type WireEnqueueResult } from './enqueue-coalescer.ts';
import { SettleBatcher, type WireSettleResult } from './settle-batcher.ts';
import { openConsumerStream } from './stream/consumer-stream.ts';
import { queueEvents } from './stream/event-stream.ts';
import type {
  AckRequest,
  ConsumeRequest,
  ConsumerStream,
  EnqueueCallOptions,
  EnqueueRequest,
  EventsRequest,
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
} from './transport.ts';
import {
  fromWireJob,
  fromWireLeasedJob,
  toWireAck,
  toWireEnqueue,
  toWireExtend,
  toWireNack,
  type WireJob,
} from './wire.ts';

export interface HttpTransportOptions {
  /** The server's base URL, such as `http://127.0.0.1:8080`. */
  readonly url: string;
  /** Sent as `Authorization: Bearer <token>`. */
  readonly token?: string;
  /** Retries on network errors, 429 and 503; `false` turns them off. */
  readonly retry?: RetryOptions | false;
  /** Deadline of one try, on top of any long-poll wait (default 30 s). */
  readonly requestTimeoutMs?: number;
  /**
   * How enqueues made close together share a request (enqueue-coalescer.ts): by default those
   * of one event-loop turn; `{ windowMs }` (0 to 1) waits that long for more; `false` sends
   * each enqueue alone.
   */
  readonly coalesce?: false | { readonly windowMs: number };
  /** What carries the requests: `undici` (the default on Node) or the platform's `fetch`. */
  readonly http?: SenderKind;
}

/** 30 s: far above any healthy answer (a group commit takes milliseconds), below common proxy idle cuts. */
const REQUEST_TIMEOUT_MS_DEFAULT = 30_000;

const q = encodeURIComponent;

function query(params: Readonly<Record<string, string | number | undefined>>): string {
  const parts = Object.entries(params).flatMap(([key, value]) =>
    value === undefined ? [] : [`${key}=${q(String(value))}`],
  );
  return parts.length === 0 ? '' : `?${parts.join('&')}`;
}

interface WirePage<T> {
  readonly items: readonly T[];
  readonly cursor: string | null;
}

/**
 * @example
 * const transport = createHttpTransport({ url: 'http://127.0.0.1:8080', token: process.env.DOCKET_TOKEN });
 * const job = await transport.get('01J…');
 */
export function createHttpTransport(options: HttpTransportOptions): Transport {
  return new HttpTransport(options);
}

class HttpTransport implements Transport {
  readonly #http: HttpRequester;
  readonly #options: HttpTransportOptions;
  readonly #acks = this.#settleBatcher('ack');
  readonly #nacks = this.#settleBatcher('nack');
  readonly #enqueues: EnqueueCoalescer | undefined;

  constructor(options: HttpTransportOptions) {
    this.#options = options;
    this.#http = new HttpRequester({
      url: options.url,
      ...(options.token === undefined ? {} : { token: options.token }),
      policy: retryPolicy(options.retry),
      requestTimeoutMs: options.requestTimeoutMs ?? REQUEST_TIMEOUT_MS_DEFAULT,
      sender: createSender(options.http ?? defaultSenderKind()),
    });
    this.#enqueues = options.coalesce === false ? undefined : this.#enqueueCoalescer(options.coalesce?.windowMs ?? 0);
  }

  enqueue(queue: string, request: EnqueueRequest, options: EnqueueCallOptions = {}): Promise<EnqueueResult> {
    const body = toWireEnqueue(request);
    if (this.#enqueues !== undefined) return this.#enqueues.enqueue(queue, body, options.signal);
    return this.#enqueueOne(queue, body, options.signal);
  }

  async #enqueueOne(
    queue: string,
    body: Readonly<Record<string, unknown>>,
    signal: AbortSignal | undefined,
  ): Promise<EnqueueResult> {
    const reply = await this.#send<{ job: WireJob; created: boolean }>('POST', `/v1/queues/${q(queue)}/jobs`, {
      body,
      idempotent: body['id'] !== undefined,
      ...(signal === undefined ? {} : { signal }),
    });
    return { job: fromWireJob(reply.job), created: reply.created };
  }

  /** A batch is repeated only when every item carries an id (the SDK's always do). */
  #enqueueCoalescer(windowMs: number): EnqueueCoalescer {
    if (!(windowMs >= 0 && windowMs <= 1)) {
      throw new InvalidArgumentError('coalesce.windowMs must be from 0 to 1', { field: 'coalesce.windowMs' });
    }
    return new EnqueueCoalescer(
      {
        one: (queue, body, signal) => this.#enqueueOne(queue, body, signal),
        many: async (itemsJson, idempotent) =>
          (
            await this.#send<{ results: WireEnqueueResult[] }>('POST', '/v1/jobs', {
              json: `{"items":[${itemsJson}]}`,
              idempotent,
            })
          ).results,
      },
      windowMs,
    );
  }

  async enqueueMany(queue: string, requests: readonly EnqueueRequest[]): Promise<EnqueueResult[]> {
    const reply = await this.#send<{ jobs: WireJob[]; created: boolean[] }>('POST', `/v1/queues/${q(queue)}/jobs`, {
      body: { jobs: requests.map(toWireEnqueue) },
      idempotent: requests.every((request) => request.id !== undefined),
    });
    return reply.jobs.map((job, i) => ({ job: fromWireJob(job), created: reply.created[i] ?? false }));
  }

  async lease(request: LeaseRequest): Promise<LeasedJob[]> {
    const { signal, ...body } = request;
    const reply = await this.#send<{ jobs: WireJob[] }>('POST', '/v1/lease', {
      body,
      idempotent: false,
      ...(signal === undefined ? {} : { signal }),
      ...(request.waitMs === undefined ? {} : { waitMs: request.waitMs }),
    });
    return reply.jobs.map(fromWireLeasedJob);
  }

  ack(id: string, request: AckRequest): Promise<Job> {
    return this.#acks.settle(id, toWireAck(request));
  }

  nack(id: string, request: NackRequest): Promise<Job> {
    return this.#nacks.settle(id, toWireNack(request));
  }

  async extend(id: string, request: ExtendRequest): Promise<LeasedJob> {
    const job = await this.#job('POST', `/v1/jobs/${q(id)}/extend`, { body: toWireExtend(request), idempotent: true });
    return job as LeasedJob;
  }

  get(id: string): Promise<Job> {
    return this.#job('GET', `/v1/jobs/${q(id)}`, { idempotent: true });
  }

  attempts(id: string): Promise<JobAttempts> {
    return this.#send('GET', `/v1/jobs/${q(id)}/attempts`, { idempotent: true });
  }

  waitFor(id: string, request: WaitRequest): Promise<Job> {
    return this.#job('GET', `/v1/jobs/${q(id)}${query({ waitMs: request.waitMs })}`, {
      idempotent: true,
      waitMs: request.waitMs,
      ...(request.signal === undefined ? {} : { signal: request.signal }),
    });
  }

  cancel(id: string): Promise<Job> {
    return this.#job('POST', `/v1/jobs/${q(id)}/cancel`, { idempotent: false });
  }

  async delete(id: string): Promise<void> {
    await this.#send('DELETE', `/v1/jobs/${q(id)}`, { idempotent: false });
  }

  async list(queue: string, request: ListRequest = {}): Promise<Page<Job>> {
    const path = `/v1/queues/${q(queue)}/jobs${query({ state: request.state, limit: request.limit, cursor: request.cursor })}`;
    const page = await this.#send<WirePage<WireJob>>('GET', path, { idempotent: true });
    return { items: page.items.map(fromWireJob), cursor: page.cursor };
  }

  async configure(queue: string, config: QueueConfig): Promise<QueueInfo> {
    const path = `/v1/queues/${q(queue)}`;
    return (await this.#send<{ queue: QueueInfo }>('PUT', path, { body: config, idempotent: true })).queue;
  }

  async pause(queue: string): Promise<QueueInfo> {
    return (await this.#send<{ queue: QueueInfo }>('POST', `/v1/queues/${q(queue)}/pause`, { idempotent: true })).queue;
  }

  async resume(queue: string): Promise<QueueInfo> {
    return (await this.#send<{ queue: QueueInfo }>('POST', `/v1/queues/${q(queue)}/resume`, { idempotent: true }))
      .queue;
  }

  async purge(queue: string, request: PurgeRequest = {}): Promise<number> {
    const path = `/v1/queues/${q(queue)}/purge`;
    return (await this.#send<{ purged: number }>('POST', path, { body: request, idempotent: false })).purged;
  }

  async redrive(queue: string, request: RedriveRequest = {}): Promise<number> {
    const path = `/v1/queues/${q(queue)}/redrive`;
    return (await this.#send<{ redriven: number }>('POST', path, { body: request, idempotent: false })).redriven;
  }

  async stats(queue: string): Promise<QueueStats> {
    return (await this.#send<{ queue: QueueStats }>('GET', `/v1/queues/${q(queue)}`, { idempotent: true })).queue;
  }

  listQueues(request: PageRequest = {}): Promise<Page<QueueStats>> {
    return this.#send('GET', `/v1/queues${query({ limit: request.limit, cursor: request.cursor })}`, {
      idempotent: true,
    });
  }

  async putSchedule(name: string, input: ScheduleInput): Promise<Schedule> {
    const path = `/v1/schedules/${q(name)}`;
    return (await this.#send<{ schedule: Schedule }>('PUT', path, { body: input, idempotent: true })).schedule;
  }

  async getSchedule(name: string): Promise<Schedule> {
    return (await this.#send<{ schedule: Schedule }>('GET', `/v1/schedules/${q(name)}`, { idempotent: true })).schedule;
  }

  listSchedules(request: PageRequest = {}): Promise<Page<Schedule>> {
    return this.#send('GET', `/v1/schedules${query({ limit: request.limit, cursor: request.cursor })}`, {
      idempotent: true,
    });
  }

  async deleteSchedule(name: string): Promise<void> {
    await this.#send('DELETE', `/v1/schedules/${q(name)}`, { idempotent: false });
  }

  triggerSchedule(name: string): Promise<Job> {
    return this.#job('POST', `/v1/schedules/${q(name)}/trigger`, { idempotent: false });
  }

  async pauseSchedule(name: string): Promise<Schedule> {
    const path = `/v1/schedules/${q(name)}/pause`;
    return (await this.#send<{ schedule: Schedule }>('POST', path, { idempotent: true })).schedule;
  }

  async resumeSchedule(name: string): Promise<Schedule> {
    const path = `/v1/schedules/${q(name)}/resume`;
    return (await this.#send<{ schedule: Schedule }>('POST', path, { idempotent: true })).schedule;
  }

  events(queue: string, request: EventsRequest = {}): AsyncIterable<QueueEvent> {
    const token = this.#options.token;
    const headers: Record<string, string> =
      token === undefined || token === '' ? {} : { authorization: `Bearer ${token}` };
    return queueEvents({ base: this.#options.url, headers }, queue, request);
  }

  consume(request: ConsumeRequest): Promise<ConsumerStream> {
    return openConsumerStream(this.#options.url, request, undefined, this.#options.token);
  }

  /** Settlements of one macrotask share a request (settle-batcher.ts); neither route is repeated once sent. */
  #settleBatcher(verb: 'ack' | 'nack'): SettleBatcher {
    return new SettleBatcher({
      one: (id, body) => this.#job('POST', `/v1/jobs/${q(id)}/${verb}`, { body, idempotent: false }),
      many: async (items) =>
        (
          await this.#send<{ results: WireSettleResult[] }>('POST', `/v1/jobs/${verb}`, {
            body: { items },
            idempotent: false,
          })
        ).results,
    });
  }

  #send<T>(method: HttpRequest['method'], path: string, rest: Omit<HttpRequest, 'method' | 'path'>): Promise<T> {
    return this.#http.send<T>({ method, path, ...rest });
  }

  async #job(method: HttpRequest['method'], path: string, rest: Omit<HttpRequest, 'method' | 'path'>): Promise<Job> {
    return fromWireJob((await this.#send<{ job: WireJob }>(method, path, rest)).job);
  }
}
