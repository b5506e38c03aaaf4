/**
 * A task registry in monsterqueue's spirit: handlers registered by name, one worker runs them all.
 *
 * Each task has a queue of its own, `<prefix><name>` (prefix `task:` by default), and a
 * registry's worker leases only from the queues of the tasks registered so far (it reads them
 * before each lease, so tasks registered later are picked up). A job of a task that no running
 * worker knows therefore simply waits, as in monsterqueue, until a worker that registered the
 * task comes along: no attempt is spent on it and it is not bounced between workers. Docket's
 * lease cannot filter by job name yet; with such a filter tasks could share one queue.
 */
import { InvalidArgumentError, isQueueName, limits } from '@docket/protocol';
import type { Client } from './client.ts';
import type { Queue, QueueOptions } from './queue.ts';
import type { Handler } from './worker/handler.ts';
import { FailPermanently } from './worker/handler-errors.ts';
import { createWorker, type Worker, type WorkerOptions } from './worker/worker.ts';

/** A short, readable namespace that no ordinary queue name is likely to use. */
export const TASK_QUEUE_PREFIX = 'task:';

/** One lease covers at most this many queues, so one worker runs at most this many tasks. */
export const MAX_TASKS = 100;

export type TaskWorkerOptions = Omit<WorkerOptions<unknown, unknown>, 'queues' | 'handler'>;

export interface TaskRegistry {
  readonly prefix: string;
  /** Throws "task already registered" for a name registered before. */
  register<T, R>(name: string, handler: Handler<T, R>): void;
  has(name: string): boolean;
  names(): string[];
  /** The queue of a task: `<prefix><name>`. */
  queueName(task: string): string;
  /** Runs the task that owns the job's queue. */
  readonly handle: Handler<unknown, unknown>;
  /** A worker over the queues of every task registered (now or later). */
  createWorker(options: TaskWorkerOptions): Worker;
  /** A producer handle for one task: its queue, with jobs named after the task. */
  queue<T = unknown, R = unknown>(client: Client, task: string, options?: QueueOptions): Queue<T, R>;
}

export interface TaskRegistryOptions {
  /** Queue name prefix of the tasks' queues (default `task:`). */
  readonly prefix?: string;
}

function taskQueueName(prefix: string, task: string): string {
  const queue = prefix + task;
  if (task === '' || task.length > limits.MAX_NAME_LENGTH || !isQueueName(queue)) {
    throw new InvalidArgumentError(
      `invalid task name ${JSON.stringify(task)}: expected [A-Za-z0-9._:/-], with the prefix at most 200 characters`,
      {
        field: 'task',
      },
    );
  }
  return queue;
}

/**
 * The producer handle of a task, for processes that enqueue without registering handlers.
 *
 * @example
 * const resize = taskQueue<{ url: string }, { width: number }>(client, 'resize');
 * const { result } = await resize.enqueueAndWait({ url }, { waitMs: 10_000 });
 */
export function taskQueue<T = unknown, R = unknown>(
  client: Client,
  task: string,
  options: QueueOptions & TaskRegistryOptions = {},
): Queue<T, R> {
  const queue = taskQueueName(options.prefix ?? TASK_QUEUE_PREFIX, task);
  return client.queue<T, R>(queue, { defaults: { ...options.defaults, name: task } });
}

/**
 * @example
 * const tasks = createTaskRegistry();
 * tasks.register<{ url: string }, { width: number }>('resize', async (job) => resizeImage(job.data.url));
 * const worker = tasks.createWorker({ client, concurrency: 4 });
 * await tasks.queue(client, 'resize').enqueue({ url: 'https://example.com/a.png' });
 */
export function createTaskRegistry(options: TaskRegistryOptions = {}): TaskRegistry {
  return new Tasks(options.prefix ?? TASK_QUEUE_PREFIX);
}

class Tasks implements TaskRegistry {
  readonly prefix: string;
  readonly #handlers = new Map<string, Handler<never, unknown>>();

  constructor(prefix: string) {
    this.prefix = prefix;
  }

  register<T, R>(name: string, handler: Handler<T, R>): void {
    const queue = taskQueueName(this.prefix, name);
    if (this.#handlers.has(queue)) throw new InvalidArgumentError(`task already registered: ${name}`, { task: name });
    if (this.#handlers.size >= MAX_TASKS) {
      throw new InvalidArgumentError(`a task registry holds at most ${MAX_TASKS} tasks`, { task: name });
    }
    this.#handlers.set(queue, handler);
  }

  has(name: string): boolean {
    return this.#handlers.has(this.prefix + name);
  }

  names(): string[] {
    return [...this.#handlers.keys()].map((queue) => queue.slice(this.prefix.length));
  }

  queueName(task: string): string {
    return taskQueueName(this.prefix, task);
  }

  readonly handle: Handler<unknown, unknown> = (job, context) => {
    const handler = this.#handlers.get(job.queue) as Handler<unknown, unknown> | undefined;
    if (handler === undefined) throw new FailPermanently(`no task registered for queue ${job.queue}`);
    return handler(job, context);
  };

  createWorker(options: TaskWorkerOptions): Worker {
    return createWorker({ ...options, queues: () => [...this.#handlers.keys()], handler: this.handle });
  }

  queue<T = unknown, R = unknown>(client: Client, task: string, options: QueueOptions = {}): Queue<T, R> {
    return taskQueue<T, R>(client, task, { ...options, prefix: this.prefix });
  }
}
