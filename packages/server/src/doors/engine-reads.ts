/**
 * Engine reads the doors share: one queue's stats (null for a queue
 * never used), and the full lists of queues and workers, page by page.
 */
import { DocketError, ErrorCode, limits, type QueueStats, type WorkerInfo } from '@docket/protocol';
import type { Engine, PageOptions } from '@docket/core';

export async function statsOf(engine: Engine, queue: string): Promise<QueueStats | null> {
  try {
    return await engine.stats(queue);
  } catch (err) {
    if (err instanceof DocketError && err.code === ErrorCode.QUEUE_NOT_FOUND) return null;
    throw err;
  }
}

async function everyPage<T>(
  read: (options: PageOptions) => Promise<{ readonly items: readonly T[]; readonly cursor: string | null }>,
): Promise<T[]> {
  const all: T[] = [];
  let cursor: string | null = null;
  do {
    const page = await read(
      cursor === null ? { limit: limits.MAX_LIST_LIMIT } : { limit: limits.MAX_LIST_LIMIT, cursor },
    );
    all.push(...page.items);
    cursor = page.cursor;
  } while (cursor !== null);
  return all;
}

export function allQueues(engine: Engine): Promise<QueueStats[]> {
  return everyPage((options) => engine.listQueues(options));
}

export function allWorkers(engine: Engine): Promise<WorkerInfo[]> {
  return everyPage((options) => engine.listWorkers(options));
}
