/**
 * The items of `POST /v1/jobs` (enqueue into any queues, each item on its own), checked one by
 * one against EnqueueEachItem so that a bad item gets its own error (with its `index`) and
 * changes nothing, while its neighbours are enqueued; and the per-item results, in request order.
 * A failure of the server's side (storage unavailable or full: a 5xx) answers the whole request
 * with that error instead, so a client retries it as it would any request: the SDK's items all
 * carry ids, so a retry returns the jobs that did go in rather than adding them twice.
 */
import type { FastifyBaseLogger } from 'fastify';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import type { Engine, EnqueueEachItem as EngineItem, EnqueueOutcome } from '@docket/core';
import { InvalidArgumentError } from '@docket/protocol';
import { lowerFirst } from './fastify-errors.ts';
import { issueMessage } from './validation.ts';
import { errorReply, type ErrorBody } from './http-errors.ts';
import { EnqueueEachItem } from './schemas/jobs.ts';
import type { WireJob } from './schemas/entities.ts';
import { enqueueInputFromJson, renderJob } from './wire.ts';

export type EnqueueItemResult = { job: WireJob; created: boolean } | { error: ErrorBody['error'] };

const itemCheck = TypeCompiler.Compile(EnqueueEachItem);

/** Item `index` as the engine takes it, or the InvalidArgumentError naming its first issue. */
function engineItem(raw: unknown, index: number): EngineItem {
  if (!itemCheck.Check(raw)) {
    const issue = itemCheck.Errors(raw).First();
    const path = `/items/${index}${issue?.path ?? ''}`;
    const message = lowerFirst(issue === undefined ? 'unexpected value' : issueMessage(issue));
    const field = issue === undefined || issue.path === '' ? {} : { field: issue.path.slice(1).replaceAll('/', '.') };
    throw new InvalidArgumentError(`invalid body: ${path} ${message}`, {
      in: 'body',
      index,
      ...field,
      issues: [{ path, message }],
    });
  }
  const { queue, ...job } = raw;
  return { queue, input: enqueueInputFromJson(job, { list: 'items', index }) };
}

function failed(error: unknown, index: number, log: FastifyBaseLogger): EnqueueItemResult {
  const answer = errorReply(error);
  if (answer.body.error.code === 'INTERNAL') log.error({ err: error, index }, 'enqueue item failed unexpectedly');
  return { error: { ...answer.body.error, details: { ...answer.body.error.details, index } } };
}

export async function enqueueItems(
  engine: Engine,
  items: readonly unknown[],
  log: FastifyBaseLogger,
): Promise<EnqueueItemResult[]> {
  const results = new Array<EnqueueItemResult>(items.length);
  const valid: EngineItem[] = [];
  const positions: number[] = [];
  items.forEach((raw, index) => {
    try {
      valid.push(engineItem(raw, index));
      positions.push(index);
    } catch (error) {
      results[index] = failed(error, index, log);
    }
  });
  const outcomes: readonly EnqueueOutcome[] = valid.length === 0 ? [] : await engine.enqueueEach(valid);
  for (const outcome of outcomes) if (!outcome.ok && errorReply(outcome.error).status >= 500) throw outcome.error;
  positions.forEach((index, k) => {
    const outcome = outcomes[k];
    results[index] =
      outcome === undefined
        ? failed(new Error('the engine answered fewer outcomes than items'), index, log)
        : outcome.ok
          ? { job: renderJob(outcome.job), created: outcome.created }
          : failed(outcome.error, index, log);
  });
  return results;
}
