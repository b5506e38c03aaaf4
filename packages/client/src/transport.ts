/**
 * The Transport: every operation the SDK needs from Docket, in the engine's own terms. The HTTP
 * transport speaks the /v1 API; client-local calls an in-process engine. Queues, workers, tasks
 * and typed jobs are written once over this interface, so they behave the same on both.
 *
 * Payloads are decoded on this side of the interface: a bytes job carries a Uint8Array, a JSON
 * job its value. Errors are the protocol's classes (LeaseMismatchError, JobNotFoundError, …).
 */
import type {
  AckOptions,
  DeadReason,
  EnqueueInput,
  EnqueueResult,
  ExtendOptions,
  Job,
  JobAttempts,
  JobState,
  LeasedJob,
  LeaseOptions,
  ListOptions,
  NackOptions,
  Page,
  PageOptions,
  QueueConfig,
  QueueInfo,
  QueueEvent,
  QueueStats,
  Schedule,
  ScheduleInput,
  StreamCloseReason,
  WaitOptions,
} from '@docket/protocol';

/**
 * The operations' options are the engine's own (protocol's operations.ts), named as requests on
 * this side: one definition for the engine, the HTTP transport and client-local.
 */
export type EnqueueRequest = EnqueueInput;
export type LeaseRequest = LeaseOptions;
export type AckRequest = AckOptions;
export type NackRequest = NackOptions;
export type ExtendRequest = ExtendOptions;
export type WaitRequest = WaitOptions;
export type ListRequest = ListOptions;
export type PageRequest = PageOptions;
export type { EnqueueResult };

export interface PurgeRequest {
  readonly states?: readonly JobState[];
}

export interface RedriveRequest {
  readonly reason?: DeadReason;
}

/** Per-call options of an enqueue that are not the job's. */
export interface EnqueueCallOptions {
  /**
   * Gives up the call: before its request leaves it enqueues nothing; after, the call rejects at
   * once and its job may still have gone in.
   */
  readonly signal?: AbortSignal;
}

export interface EventsRequest {
  /** Resume after this event id (from an earlier iteration's `event.id`). */
  readonly lastEventId?: string;
  /** Stops the iteration. */
  readonly signal?: AbortSignal;
}

export interface ConsumeRequest {
  readonly queues: readonly string[];
  /** Most jobs leased to this stream and not settled yet (0 to 1 000). */
  readonly prefetch: number;
  /** Overrides each job's own leaseMs. */
  readonly leaseMs?: number;
  readonly worker?: string;
  /** Each job the server pushes, in order. */
  readonly onJob: (job: LeasedJob) => void;
  /** The server looked for work and found none while this stream held no job. */
  readonly onEmpty?: () => void;
  /** Trouble the server reported outside any request (a lease that failed on its side). */
  readonly onError?: (error: Error) => void;
}

export interface StreamClosed {
  readonly code: number;
  /** Why the server ended the stream, when it said so (`closing`); null otherwise. */
  readonly reason: StreamCloseReason | null;
  readonly message: string;
}

/**
 * @example
 * const stream = await client.transport.consume?.({ queues: ['emails'], prefetch: 10, onJob });
 * await stream.ack(job.id, { token: job.leaseToken });
 */
export interface ConsumerStream {
  ack(id: string, request: AckRequest): Promise<Job>;
  nack(id: string, request: NackRequest): Promise<Job>;
  extend(id: string, request: ExtendRequest): Promise<LeasedJob>;
  /** Sets the window; resolves once no job leased under the old window is still to come. */
  setPrefetch(prefetch: number): Promise<void>;
  /** Closes the connection; the server gives the stream's unsettled jobs back to the front. */
  close(): Promise<StreamClosed>;
  /** Resolves when the connection has closed, by either side. */
  readonly closed: Promise<StreamClosed>;
}

/**
 * @example
 * const transport: Transport = createHttpTransport({ url: 'http://127.0.0.1:8080' });
 * const [job] = await transport.lease({ queues: ['emails'], waitMs: 20_000 });
 */
export interface Transport {
  enqueue(queue: string, request: EnqueueRequest, options?: EnqueueCallOptions): Promise<EnqueueResult>;
  /** All or nothing. */
  enqueueMany(queue: string, requests: readonly EnqueueRequest[]): Promise<EnqueueResult[]>;
  lease(request: LeaseRequest): Promise<LeasedJob[]>;
  ack(id: string, request: AckRequest): Promise<Job>;
  nack(id: string, request: NackRequest): Promise<Job>;
  extend(id: string, request: ExtendRequest): Promise<LeasedJob>;
  get(id: string): Promise<Job>;
  /** The job's attempts that ended without success (failed, lease expired, released), oldest first. */
  attempts(id: string): Promise<JobAttempts>;
  /** The job once completed or dead, or as it is when `waitMs` passes. */
  waitFor(id: string, request: WaitRequest): Promise<Job>;
  cancel(id: string): Promise<Job>;
  delete(id: string): Promise<void>;
  list(queue: string, request?: ListRequest): Promise<Page<Job>>;
  /** Replaces the queue's config (defaults, retention, flow control), creating the queue if needed. */
  configure(queue: string, config: QueueConfig): Promise<QueueInfo>;
  pause(queue: string): Promise<QueueInfo>;
  resume(queue: string): Promise<QueueInfo>;
  purge(queue: string, request?: PurgeRequest): Promise<number>;
  redrive(queue: string, request?: RedriveRequest): Promise<number>;
  stats(queue: string): Promise<QueueStats>;
  listQueues(request?: PageRequest): Promise<Page<QueueStats>>;
  /** Creates or replaces a schedule (an unchanged one keeps its ticks). */
  putSchedule(name: string, input: ScheduleInput): Promise<Schedule>;
  getSchedule(name: string): Promise<Schedule>;
  listSchedules(request?: PageRequest): Promise<Page<Schedule>>;
  deleteSchedule(name: string): Promise<void>;
  /** Enqueues one job of the schedule now; its ticks are untouched. */
  triggerSchedule(name: string): Promise<Job>;
  pauseSchedule(name: string): Promise<Schedule>;
  resumeSchedule(name: string): Promise<Schedule>;
  /** A queue's lifecycle events from now (or after `lastEventId`), resuming by itself. */
  events(queue: string, request?: EventsRequest): AsyncIterable<QueueEvent>;
  /**
   * Push consumption on one connection (the consumer stream). Absent where there is no
   * connection to save (an in-process engine): workers then lease.
   */
  consume?(request: ConsumeRequest): Promise<ConsumerStream>;
}
