/**
 * Per-item results of a batch ack, nack or extend: each item succeeds or fails on its own (a
 * stale lease on one job must not refuse the others), and the batch answers 200 with one
 * result per item, in request order. Items run concurrently, so they share group commits.
 */
import type { FastifyBaseLogger } from 'fastify';
import type { Job } from '@docket/protocol';
import { errorReply, type ErrorBody } from './http-errors.ts';
import type { WireJob } from './schemas/entities.ts';
import { renderJob } from './wire.ts';

export type BatchResult = { id: string; job: WireJob } | { id: string; error: ErrorBody['error'] };

export function eachItem<I extends { readonly id: string }>(
  items: readonly I[],
  operation: (item: I) => Promise<Job>,
  log: FastifyBaseLogger,
): Promise<BatchResult[]> {
  return Promise.all(
    items.map(async (item): Promise<BatchResult> => {
      try {
        return { id: item.id, job: renderJob(await operation(item)) };
      } catch (err) {
        const answer = errorReply(err);
        if (answer.body.error.code === 'INTERNAL')
          log.error({ err, jobId: item.id }, 'batch item failed with an unexpected error');
        return { id: item.id, error: answer.body.error };
      }
    }),
  );
}
