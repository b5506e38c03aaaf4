/**
 * Typed jobs in core-queue's spirit: a job type names its data type once and carries default
 * options; its listeners all run, in order, for each job (the first that throws stops the rest
 * and fails the attempt, so listeners must be idempotent); `beforeRetry` and `beforeAbort` hooks
 * run when an attempt failed, before the worker reports it. A job type is a task (tasks.ts): its
 * jobs live in the task's queue and a task registry's worker runs them.
 *
 * Differences from core-queue, on purpose: `uniqueId` is the job id, so a second dispatch with
 * the same id returns the first job (core-queue only kept identical payloads apart); when the
 * attempt runs past `timeoutMs` the worker fails it at once, and the hook runs when the listener
 * finally gives up.
 */
import type { BackoffPolicy, JobMeta } from '@docket/protocol';
import type { Client } from './client.ts';
import type { Enqueued, Queue } from './queue.ts';
import type { QueueLengthSample, QueueLengthWatch } from './queue-length.ts';
import { TASK_QUEUE_PREFIX, taskQueue, type TaskRegistry } from './tasks.ts';
import type { LeasedJobOf } from './typed-job.ts';
import type { HandlerContext } from './worker/handler.ts';
import { FailPermanently, LeaseLostError, RetryLater, WorkerClosedError } from './worker/handler-errors.ts';
import { abortReason } from './sleep.ts';
import { toError } from './worker/settle.ts';

export interface JobTypeOptions {
  readonly maxAttempts?: number;
  /** Hard limit of one attempt (core-queue's handle timeout). */
  readonly timeoutMs?: number;
  readonly backoff?: BackoffPolicy;
  readonly priority?: number;
  readonly leaseMs?: number;
  /** Queue name prefix, as the task registry's (default `task:`). */
  readonly prefix?: string;
  /** A hook that threw (default: written to the console). */
  readonly onHookError?: (error: unknown) => void;
}

export interface DispatchOptions {
  /** Run after this delay (core-queue's Defer). */
  readonly delayMs?: number;
  /** Run at this time (core-queue's ScheduleAt); a time in the past runs at once. */
  readonly scheduleAt?: Date | number;
  readonly maxAttempts?: number;
  readonly timeoutMs?: number;
  readonly priority?: number;
  /** The job's id: dispatching an id that exists returns the existing job. */
  readonly uniqueId?: string;
  readonly meta?: JobMeta;
  readonly captureStack?: boolean;
}

export type JobListener<T> = (job: LeasedJobOf<T>, context: HandlerContext) => unknown;

export interface HookEvent<T> {
  readonly job: LeasedJobOf<T>;
  readonly error: Error;
}

export type JobHook = 'beforeRetry' | 'beforeAbort';

export interface JobType<T> {
  readonly type: string;
  /** Adds a listener; returns a function that removes it. */
  listen(listener: JobListener<T>): () => void;
  /** `beforeRetry`: the attempt failed and another follows; `beforeAbort`: it was the last one. */
  on(hook: JobHook, fn: (event: HookEvent<T>) => unknown): () => void;
  dispatch(client: Client, data: T, options?: DispatchOptions): Promise<Enqueued<T, unknown>>;
  /** Registers this type's listeners as a task, so the registry's worker runs them. */
  register(tasks: TaskRegistry): void;
  queue(client: Client): Queue<T>;
  /** Samples this type's queue counts now and every `intervalMs` (default 15 s), for metrics. */
  onQueueLength(client: Client, fn: (sample: QueueLengthSample) => void, intervalMs?: number): QueueLengthWatch;
}

/**
 * @example
 * const SendEmail = defineJob<{ to: string }>('send-email', { maxAttempts: 3, timeoutMs: 60_000 });
 * SendEmail.listen(async (job, { signal }) => sendMail(job.data.to, { signal }));
 * SendEmail.on('beforeAbort', ({ job, error }) => log.warn({ id: job.id, error }));
 * SendEmail.register(tasks);
 * await SendEmail.dispatch(client, { to: 'a@example.com' }, { delayMs: 5_000 });
 */
export function defineJob<T>(type: string, options: JobTypeOptions = {}): JobType<T> {
  return new DefinedJobType<T>(type, options);
}

/** The fields that have a value (optional properties must be absent, not undefined). */
function withoutUndefined<O extends object>(object: O): { [K in keyof O]?: Exclude<O[K], undefined> } {
  return Object.fromEntries(Object.entries(object).filter(([, value]) => value !== undefined)) as {
    [K in keyof O]?: Exclude<O[K], undefined>;
  };
}

/** The handler was stopped by the worker itself (lease lost, forced close): no attempt outcome to hook. */
function stoppedByWorker(context: HandlerContext): boolean {
  const reason: unknown = context.signal.reason;
  return reason instanceof LeaseLostError || reason instanceof WorkerClosedError;
}

class DefinedJobType<T> implements JobType<T> {
  readonly type: string;
  readonly #options: JobTypeOptions;
  readonly #listeners = new Set<JobListener<T>>();
  readonly #hooks = {
    beforeRetry: new Set<(event: HookEvent<T>) => unknown>(),
    beforeAbort: new Set<(event: HookEvent<T>) => unknown>(),
  };

  constructor(type: string, options: JobTypeOptions) {
    this.type = type;
    this.#options = options;
  }

  listen(listener: JobListener<T>): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  on(hook: JobHook, fn: (event: HookEvent<T>) => unknown): () => void {
    this.#hooks[hook].add(fn);
    return () => this.#hooks[hook].delete(fn);
  }

  dispatch(client: Client, data: T, options: DispatchOptions = {}): Promise<Enqueued<T, unknown>> {
    const { uniqueId, scheduleAt, ...rest } = options;
    return this.queue(client).enqueue(data, {
      ...rest,
      ...(uniqueId === undefined ? {} : { id: uniqueId }),
      ...(scheduleAt === undefined ? {} : { runAt: scheduleAt instanceof Date ? scheduleAt.getTime() : scheduleAt }),
    });
  }

  register(tasks: TaskRegistry): void {
    const prefix = this.#options.prefix ?? TASK_QUEUE_PREFIX;
    if (tasks.prefix !== prefix)
      throw new Error(`job type ${this.type} uses prefix ${prefix}, the registry ${tasks.prefix}`);
    tasks.register<T, undefined>(this.type, (job, context) => this.#handle(job, context));
  }

  queue(client: Client): Queue<T> {
    const { maxAttempts, timeoutMs, backoff, priority, leaseMs } = this.#options;
    const defaults = withoutUndefined({ maxAttempts, timeoutMs, backoff, priority, leaseMs });
    return taskQueue<T>(client, this.type, { prefix: this.#options.prefix ?? TASK_QUEUE_PREFIX, defaults });
  }

  onQueueLength(client: Client, fn: (sample: QueueLengthSample) => void, intervalMs?: number): QueueLengthWatch {
    return this.queue(client).onQueueLength(fn, intervalMs);
  }

  async #handle(job: LeasedJobOf<T>, context: HandlerContext): Promise<undefined> {
    try {
      for (const listener of [...this.#listeners]) await listener(job, context);
      if (context.signal.aborted) throw abortReason(context.signal);
      return undefined;
    } catch (thrown) {
      const error = toError(thrown);
      if (!(error instanceof RetryLater) && !stoppedByWorker(context)) {
        const retries = !(error instanceof FailPermanently) && job.attempts < job.maxAttempts;
        await this.#runHooks(retries ? 'beforeRetry' : 'beforeAbort', { job, error });
      }
      throw thrown;
    }
  }

  async #runHooks(hook: JobHook, event: HookEvent<T>): Promise<void> {
    for (const fn of [...this.#hooks[hook]]) {
      try {
        await fn(event);
      } catch (err) {
        if (this.#options.onHookError === undefined) console.error(`docket: ${hook} hook of ${this.type} threw:`, err);
        else this.#options.onHookError(err);
      }
    }
  }
}
