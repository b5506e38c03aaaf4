/**
 * The Engine façade's public shape: what the server, the SDK's local client and the CLI call.
 * Verb-first names; ids and queue names first, then one options object.
 */
import type {
  AckOptions,
  DeadReason,
  EnqueueInput,
  EnqueueResult,
  ExtendOptions,
  GroupStats,
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
  QueueStats,
  Schedule,
  ScheduleInput,
  WaitOptions,
  WorkerInfo,
} from '@docket/protocol';
import type { EngineEvents } from './events.ts';
import type { EventHub } from './event-hub.ts';
import type { SettleOutcome } from './store.ts';

export type {
  AckOptions,
  EnqueueInput,
  ExtendOptions,
  LeaseOptions,
  ListOptions,
  NackOptions,
  PageOptions,
  WaitOptions,
} from '@docket/protocol';

/** One item of a batch ack. */
export interface AckItem extends AckOptions {
  readonly id: string;
}

/** One item of a batch nack. */
export interface NackItem extends NackOptions {
  readonly id: string;
}

/** One item of enqueueEach: a job for any queue. */
export interface EnqueueEachItem {
  readonly queue: string;
  readonly input: EnqueueInput;
}

/** The outcome of one enqueueEach item: its job, or why it was refused. */
export type EnqueueOutcome =
  { readonly ok: true; readonly job: Job; readonly created: boolean } | { readonly ok: false; readonly error: Error };

export interface Engine {
  readonly events: EventHub<EngineEvents>;

  enqueue(queue: string, input: EnqueueInput): Promise<EnqueueResult>;
  /** All or nothing. */
  enqueueMany(queue: string, inputs: readonly EnqueueInput[]): Promise<EnqueueResult[]>;
  /**
   * Items for any queues, each succeeding or failing on its own (one outcome per item, in
   * order); the valid items of one queue are one store call, in item order.
   */
  enqueueEach(items: readonly EnqueueEachItem[]): Promise<EnqueueOutcome[]>;
  lease(options: LeaseOptions): Promise<LeasedJob[]>;
  ack(id: string, options: AckOptions): Promise<Job>;
  /** Each item succeeds or fails on its own (one outcome per item, in order); valid items share one store call. */
  ackMany(items: readonly AckItem[]): Promise<SettleOutcome[]>;
  nack(id: string, options: NackOptions): Promise<Job>;
  /** As ackMany: one outcome per item, in order. */
  nackMany(items: readonly NackItem[]): Promise<SettleOutcome[]>;
  extend(id: string, options: ExtendOptions): Promise<LeasedJob>;
  /** JobNotFoundError when missing. */
  get(id: string): Promise<Job>;
  /**
   * The job's ended attempts (failed, lease expired, released), oldest first, the latest
   * MAX_ATTEMPT_HISTORY of them; JobNotFoundError when missing.
   */
  attempts(id: string): Promise<JobAttempts>;
  /** Resolves when the job is completed or dead, or when `waitMs` passes, with the job as it is then. */
  waitFor(id: string, options: WaitOptions): Promise<Job>;
  cancel(id: string): Promise<Job>;
  /** A delayed job becomes waiting now; InvalidArgumentError (`details.state`) for a job in another state. */
  promote(id: string): Promise<Job>;
  /** A dead job goes back to waiting, as redrive moves it; InvalidArgumentError (`details.state`) otherwise. */
  retry(id: string): Promise<Job>;
  delete(id: string): Promise<void>;
  list(queue: string, options?: ListOptions): Promise<Page<Job>>;

  configureQueue(queue: string, config: QueueConfig): Promise<QueueInfo>;
  /**
   * Adds `count` (default 1) failures to the queue's `totals.failed` without a job or lease: a
   * client reporting that work failed (presque's `PUT /q/`). Creates the queue if needed.
   */
  countFailures(queue: string, count?: number): Promise<QueueInfo>;
  pause(queue: string): Promise<QueueInfo>;
  resume(queue: string): Promise<QueueInfo>;
  /**
   * Deletes the queue's jobs (of the given states, or all); returns how many. A purge that takes
   * both the completed and the dead jobs resets the queue's totals.
   */
  purge(queue: string, options?: { readonly states?: readonly JobState[] }): Promise<number>;
  deleteQueue(queue: string): Promise<void>;
  /** Moves dead jobs (all, or of one reason) back to waiting; returns how many. */
  redrive(queue: string, options?: { readonly reason?: DeadReason }): Promise<number>;
  /** QueueNotFoundError for a queue that was never used. */
  stats(queue: string): Promise<QueueStats>;
  /**
   * The queue's groups with waiting or held jobs, deepest first, at most `limit` (default 20, at
   * most 1 000); empty for a queue without groups. QueueNotFoundError for a queue never used.
   */
  groupStats(queue: string, options?: { readonly limit?: number }): Promise<GroupStats[]>;
  listQueues(options?: PageOptions): Promise<Page<QueueStats>>;

  /** Creates or replaces a schedule; an unchanged spec keeps its ticks (schedules/operations.ts). */
  putSchedule(name: string, input: ScheduleInput): Promise<Schedule>;
  /** ScheduleNotFoundError when missing. */
  getSchedule(name: string): Promise<Schedule>;
  listSchedules(options?: PageOptions): Promise<Page<Schedule>>;
  /** The jobs it enqueued stay. ScheduleNotFoundError when missing. */
  deleteSchedule(name: string): Promise<void>;
  /** Enqueues one job of the schedule now and returns it; the ticks are untouched. */
  triggerSchedule(name: string): Promise<Job>;
  pauseSchedule(name: string): Promise<Schedule>;
  /** Ticks that passed while paused are skipped: the next is the first after now. */
  resumeSchedule(name: string): Promise<Schedule>;

  listWorkers(options?: PageOptions): Promise<Page<WorkerInfo>>;
  /** Long-poll lease calls parked on this engine now, waiting for a job (one per call, whatever its queues). */
  parkedLeases(): number;
  workerSeen(id: string, queues: readonly string[]): Promise<void>;

  /** Starts the background services. */
  start(): void;
  /** Stops services, releases waiting lease calls (they return empty) and closes the store. */
  close(): Promise<void>;
}
