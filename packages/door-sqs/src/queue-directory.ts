/**
 * Which Docket queues exist, with their config, for the hot actions (SendMessage, ReceiveMessage
 * and the batches read a queue's DelaySeconds, MaximumMessageSize and wait time on every call).
 * A queue's info is remembered for a short time, as the engine remembers queue configs; this
 * door's own changes (CreateQueue, SetQueueAttributes, DeleteQueue) update it at once, another
 * server's changes are seen within the time-to-live.
 */
import { DocketError, ErrorCode, type QueueInfo, type QueueStats } from '@docket/protocol';
import type { Engine } from '@docket/core';
import { sqsErrors } from './errors.ts';
import { SQS_QUEUE_NAME } from './queue-url.ts';

const TTL_MS = 2000;
const MAX_REMEMBERED = 10_000;

export class QueueDirectory {
  readonly #engine: Engine;
  readonly #known = new Map<string, { readonly info: QueueInfo; readonly until: number }>();

  constructor(engine: Engine) {
    this.#engine = engine;
  }

  /** The queue's current stats, or null when no such queue exists (read through). */
  async stats(name: string): Promise<QueueStats | null> {
    if (!SQS_QUEUE_NAME.test(name)) return null;
    try {
      const stats = await this.#engine.stats(name);
      this.remember(stats);
      return stats;
    } catch (err) {
      if (err instanceof DocketError && err.code === ErrorCode.QUEUE_NOT_FOUND) {
        this.forget(name);
        return null;
      }
      throw err;
    }
  }

  /** The queue's info, remembered for a short time; NonExistentQueue when there is none. */
  async require(name: string): Promise<QueueInfo> {
    const known = this.#known.get(name);
    if (known !== undefined && known.until > Date.now()) return known.info;
    const stats = await this.stats(name);
    if (stats === null) throw sqsErrors.nonExistentQueue();
    return stats;
  }

  /** As `stats`, NonExistentQueue when there is none. */
  async requireStats(name: string): Promise<QueueStats> {
    const stats = await this.stats(name);
    if (stats === null) throw sqsErrors.nonExistentQueue();
    return stats;
  }

  remember(info: QueueInfo): void {
    if (this.#known.size >= MAX_REMEMBERED) this.#known.clear();
    this.#known.set(info.name, { info, until: Date.now() + TTL_MS });
  }

  forget(name: string): void {
    this.#known.delete(name);
  }
}
