/**
 * The Client: the one interface of the SDK, over HTTP (`createClient`) or over any Transport
 * (`clientFromTransport`, which client-local uses for an in-process engine). It hands out queue
 * handles and reaches jobs by id; workers take a Client too.
 */
import type { JobAttempts, Page, QueueStats } from '@docket/protocol';
import { createHttpTransport, type HttpTransportOptions } from './http-transport.ts';
import { createQueue, type Queue, type QueueOptions } from './queue.ts';
import { createSchedules, type Schedules } from './schedules.ts';
import type { PageRequest, Transport } from './transport.ts';
import { typedJob, type JobOf } from './typed-job.ts';

export interface Client {
  /** The operations underneath, for what the handles do not cover. */
  readonly transport: Transport;
  queue<T = unknown, R = unknown>(name: string, options?: QueueOptions): Queue<T, R>;
  /** A job of any queue, by id (ids are unique across queues). */
  getJob<T = unknown, R = unknown>(id: string): Promise<JobOf<T, R>>;
  /**
   * A job's attempts that ended without success (failed, lease expired, released), oldest first,
   * each with its error and stack: the latest 20, `dropped` counting older ones.
   */
  getJobAttempts(id: string): Promise<JobAttempts>;
  /** Queues with their counts by state, a page at a time. */
  listQueues(options?: PageRequest): Promise<Page<QueueStats>>;
  /** Cron and interval schedules that enqueue jobs (schedules.ts). */
  readonly schedules: Schedules;
}

export type ClientOptions = HttpTransportOptions;

/**
 * @example
 * const client = createClient({ url: 'http://127.0.0.1:8080', token: process.env.DOCKET_TOKEN });
 * const emails = client.queue<{ to: string }>('emails');
 * await emails.enqueue({ to: 'a@example.com' });
 */
export function createClient(options: ClientOptions): Client {
  return clientFromTransport(createHttpTransport(options));
}

/**
 * @example
 * const client = clientFromTransport(myTransport);
 */
export function clientFromTransport(transport: Transport): Client {
  return new TransportClient(transport);
}

class TransportClient implements Client {
  readonly transport: Transport;
  readonly schedules: Schedules;

  constructor(transport: Transport) {
    this.transport = transport;
    this.schedules = createSchedules(transport);
  }

  queue<T = unknown, R = unknown>(name: string, options: QueueOptions = {}): Queue<T, R> {
    return createQueue<T, R>(this.transport, name, options);
  }

  async getJob<T = unknown, R = unknown>(id: string): Promise<JobOf<T, R>> {
    return typedJob(await this.transport.get(id));
  }

  getJobAttempts(id: string): Promise<JobAttempts> {
    return this.transport.attempts(id);
  }

  listQueues(options: PageRequest = {}): Promise<Page<QueueStats>> {
    return this.transport.listQueues(options);
  }
}
