/**
 * Per-item results of a batch ack, nack or extend: each item succeeds or fails on its own (a
 * stale lease on one job must not refuse the others), and the batch answers 200 with one
 * result per item, in request order. Ack and nack hand the engine the whole batch (one store
 * call); extend runs its items concurrently, so they share group commits.
 */
import type { FastifyBaseLogger } from 'fastify';
import type { SettleOutcome } from '@docket/core';
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
        return failedItem(item.id, err, log);
      }
    }),
  );
}

/** The engine's batch outcomes as results, pairing each with its item's id. */
export function fromOutcomes(
  items: readonly { readonly id: string }[],
  outcomes: readonly SettleOutcome[],
  log: FastifyBaseLogger,
): BatchResult[] {
  return items.map((item, i): BatchResult => {
    const outcome = outcomes[i];
    if (outcome === undefined)
      return failedItem(item.id, new Error('the engine answered fewer outcomes than items'), log);
    return outcome.ok ? { id: item.id, job: renderJob(outcome.job) } : failedItem(item.id, outcome.error, log);
  });
}

function failedItem(id: string, err: unknown, log: FastifyBaseLogger): BatchResult {
  const answer = errorReply(err);
  if (answer.body.error.code === 'INTERNAL')
    log.error({ err, jobId: id }, 'batch item failed with an unexpected error');
  return { id, error: answer.body.error };
}
