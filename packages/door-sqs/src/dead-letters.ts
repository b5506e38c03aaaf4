/**
 * Moves dead messages into their queue's dead-letter queue (RedrivePolicy's
 * deadLetterTargetArn). The engine makes a job dead in its own queue once it was received
 * maxReceiveCount times (its `maxAttempts`); this mover copies it into the target queue as a
 * waiting message (job-copy.ts) and then deletes the dead job. It acts on every `job:dead` this
 * engine announces and, so that jobs that died on another server or before a crash are moved
 * too, sweeps the dead jobs of every queue with a RedrivePolicy when it starts and every 10 s.
 *
 * Invariant: a dead job is deleted only after its copy committed; a crash between the two
 * leaves the dead job, and the next sweep finds the copy by its derived id, so a message is
 * never lost and never copied twice. Only jobs dead from `max-attempts` move: an expired
 * message (MessageRetentionPeriod) is gone in SQS, not dead-lettered. Message move tasks
 * (StartMessageMoveTask) run in the background here too, so closing the door waits for them.
 */
import type { Engine } from '@docket/core';
import type { Job } from '@docket/protocol';
import { copyJob } from './job-copy.ts';
import { redrivePolicyOf } from './queue-attributes.ts';
import type { QueueDirectory } from './queue-directory.ts';
import { sqsQueues } from './queue-pages.ts';
import type { Identity } from './queue-url.ts';

const SWEEP_INTERVAL_MS = 10_000;
const SWEEP_PAGE = 100;

export class DeadLetterMover {
  readonly #engine: Engine;
  readonly #identity: Identity;
  readonly #queues: QueueDirectory;
  readonly #onError: (err: unknown) => void;
  #unsubscribe: (() => void) | undefined;
  #timer: NodeJS.Timeout | undefined;
  #sweeping: Promise<void> | undefined;
  readonly #tasks = new Set<Promise<void>>();

  constructor(engine: Engine, identity: Identity, queues: QueueDirectory, onError: (err: unknown) => void) {
    this.#engine = engine;
    this.#identity = identity;
    this.#queues = queues;
    this.#onError = onError;
  }

  start(): void {
    this.#unsubscribe = this.#engine.events.on('job:dead', ({ job }) => {
      this.move(job).catch(this.#onError);
    });
    this.#timer = setInterval(() => void this.sweep(), SWEEP_INTERVAL_MS);
    this.#timer.unref();
    void this.sweep();
  }

  async close(): Promise<void> {
    this.#unsubscribe?.();
    clearInterval(this.#timer);
    await Promise.all([this.#sweeping, ...this.#tasks]);
  }

  /** Runs a message move task in the background; close waits for it, its failure is reported. */
  track(task: Promise<void>): void {
    const tracked = task.catch(this.#onError).finally(() => this.#tasks.delete(tracked));
    this.#tasks.add(tracked);
  }

  /** Moves `job` if it died of its receive count in a queue with a dead-letter target. */
  async move(job: Job): Promise<void> {
    if (job.state !== 'dead' || job.deadReason !== 'max-attempts') return;
    const stats = await this.#queues.stats(job.queue);
    const target = stats === null ? undefined : redrivePolicyOf(stats.config, this.#identity)?.target;
    if (target === undefined || (await this.#queues.stats(target)) === null) return;
    await copyJob(this.#engine, job, target, `dead:${job.finishedAt ?? 0}`);
    await this.#engine.delete(job.id);
  }

  /** One pass over the dead jobs of every queue with a RedrivePolicy; one pass at a time. */
  sweep(): Promise<void> {
    this.#sweeping ??= this.#sweepOnce()
      .catch(this.#onError)
      .finally(() => (this.#sweeping = undefined));
    return this.#sweeping;
  }

  async #sweepOnce(): Promise<void> {
    for (const queue of await sqsQueues(this.#engine)) {
      if (queue.counts.dead === 0 || queue.config.attributes?.['RedrivePolicy'] === undefined) continue;
      let cursor: string | undefined;
      do {
        const page = await this.#engine.list(queue.name, {
          state: 'dead',
          limit: SWEEP_PAGE,
          ...(cursor === undefined ? {} : { cursor }),
        });
        for (const job of page.items) await this.move(job);
        cursor = page.cursor ?? undefined;
      } while (cursor !== undefined);
    }
  }
}
