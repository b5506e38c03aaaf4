/**
 * The SQS-reachable queues in name order, for ListQueues and ListDeadLetterSourceQueues, with
 * SQS's paging: at most 1 000 URLs, or MaxResults and an opaque NextToken (the last name given).
 */
import type { QueueStats } from '@docket/protocol';
import { limits } from '@docket/protocol';
import type { Engine } from '@docket/core';
import { sqsErrors } from './errors.ts';
import { optionalInteger, optionalString, type Input } from './input.ts';
import { SQS_QUEUE_NAME } from './queue-url.ts';

const MAX_RESULTS = 1000;

export async function sqsQueues(engine: Engine): Promise<QueueStats[]> {
  const all: QueueStats[] = [];
  let cursor: string | null = null;
  do {
    const page = await engine.listQueues(
      cursor === null ? { limit: limits.MAX_LIST_LIMIT } : { limit: limits.MAX_LIST_LIMIT, cursor },
    );
    for (const queue of page.items) if (SQS_QUEUE_NAME.test(queue.name)) all.push(queue);
    cursor = page.cursor;
  } while (cursor !== null);
  return all.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** One page of `names` (sorted) as the input's MaxResults and NextToken ask. */
export function pageOf(
  names: readonly string[],
  input: Input,
): { readonly names: string[]; readonly nextToken?: string } {
  const max = optionalInteger(input, 'MaxResults', 1, MAX_RESULTS);
  const token = optionalString(input, 'NextToken');
  let after: string | undefined;
  if (token !== undefined) {
    after = /^[A-Za-z0-9_-]+$/.test(token) ? Buffer.from(token, 'base64url').toString('utf8') : '';
    if (!SQS_QUEUE_NAME.test(after)) throw sqsErrors.invalidParameterValue('Invalid NextToken value.');
  }
  const rest = after === undefined ? [...names] : names.filter((name) => name > (after ?? ''));
  const limit = max ?? MAX_RESULTS;
  const page = rest.slice(0, limit);
  const last = page.at(-1);
  return max !== undefined && rest.length > limit && last !== undefined
    ? { names: page, nextToken: Buffer.from(last, 'utf8').toString('base64url') }
    : { names: page };
}
