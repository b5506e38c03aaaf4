/**
 * Copies a message's job into another queue as a new waiting job, keeping what SQS keeps when it
 * moves a message (its MessageId, SentTimestamp, body and attributes) and recording the queue it
 * left, and its group (so a FIFO message keeps its order in a FIFO queue). The copy's id is derived from the original's id and the move's `key`, so retrying a move
 * after a crash finds the copy already made instead of making a second one.
 */
import { createHash } from 'node:crypto';
import type { Engine } from '@docket/core';
import type { Job } from '@docket/protocol';
import { META } from './messages.ts';

export async function copyJob(engine: Engine, job: Job, target: string, key: string): Promise<void> {
  const id = `sqs-${createHash('sha256').update(`${job.id}\n${key}`).digest('base64url').slice(0, 32)}`;
  const meta = {
    ...job.meta,
    [META.id]: job.meta[META.id] ?? job.id,
    [META.sent]: job.meta[META.sent] ?? String(job.createdAt),
    [META.source]: job.queue,
  };
  await engine.enqueue(target, { id, data: job.data, meta, ...(job.group === undefined ? {} : { group: job.group }) });
}
