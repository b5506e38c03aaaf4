/**
 * The queue actions: CreateQueue (idempotent for the same attributes, QueueNameExists for
 * others), GetQueueUrl, ListQueues, DeleteQueue, PurgeQueue, GetQueueAttributes,
 * SetQueueAttributes and ListDeadLetterSourceQueues. A Docket queue with an SQS-valid name is an
 * SQS queue, whichever door created it.
 */
import type { QueueConfig, QueueInfo } from '@docket/protocol';
import { queueOf, type Action, type SqsContext } from '../context.ts';
import { sqsErrors } from '../errors.ts';
import { optionalString, optionalStringList, optionalStringMap, requiredString } from '../input.ts';
import {
  applyAttributes,
  attributesOf,
  checkReadableNames,
  redrivePolicyOf,
  SQS_BASE_CONFIG,
} from '../queue-attributes.ts';
import { pageOf, sqsQueues } from '../queue-pages.ts';
import { queueUrl, SQS_QUEUE_NAME } from '../queue-url.ts';
import { checkTags } from './tags.ts';
import { FIFO_SUFFIX, fifoBase, isFifoConfig } from '../fifo.ts';

function checkQueueName(name: string, fifo: boolean): void {
  if (fifo && !name.endsWith(FIFO_SUFFIX)) {
    throw sqsErrors.invalidParameterValue(
      'The name of a FIFO queue can only include alphanumeric characters, hyphens, or underscores, must end with .fifo suffix and be 1 to 80 in length.',
    );
  }
  if ((!fifo && name.endsWith(FIFO_SUFFIX)) || !SQS_QUEUE_NAME.test(name)) {
    throw sqsErrors.invalidParameterValue(
      `Value ${name} for parameter QueueName is invalid. Reason: Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length.`,
    );
  }
}

async function configure(
  ctx: SqsContext,
  name: string,
  config: QueueConfig,
  deadLetterTarget: string | undefined,
): Promise<QueueInfo> {
  if (deadLetterTarget !== undefined) {
    const target = await ctx.queues.stats(deadLetterTarget);
    if (target === null) {
      throw sqsErrors.invalidParameterValue(
        `Value for parameter RedrivePolicy is invalid. Reason: Dead-letter target does not exist: ${deadLetterTarget}.`,
      );
    }
    if (isFifoConfig(target.config) !== isFifoConfig(config)) {
      throw sqsErrors.invalidParameterValue(
        'Value for parameter RedrivePolicy is invalid. Reason: Dead-letter queue must be same type of queue as the source.',
      );
    }
  }
  const info = await ctx.engine.configureQueue(name, config);
  ctx.queues.remember(info);
  return info;
}

export const createQueue: Action = async (ctx, call) => {
  const name = requiredString(call.input, 'QueueName');
  const changes = optionalStringMap(call.input, 'Attributes');
  const fifo = changes['FifoQueue'] === 'true';
  checkQueueName(name, fifo);
  const tags = optionalStringMap(call.input, 'tags');
  const url = { QueueUrl: queueUrl(call.origin, ctx.identity, name) };
  const existing = await ctx.queues.stats(name);
  if (existing !== null) {
    const now = attributesOf(existing, ctx.identity);
    const wanted = attributesOf(
      { ...existing, config: applyAttributes(existing.config, changes, ctx.identity, Date.now()).config },
      ctx.identity,
    );
    const differing = Object.keys(changes).filter((key) => now[key] !== wanted[key]);
    if (differing.length > 0) throw sqsErrors.queueNameExists(differing.join(', '));
    return url;
  }
  checkTags(tags);
  const applied = applyAttributes(
    fifo ? fifoBase(SQS_BASE_CONFIG) : SQS_BASE_CONFIG,
    changes,
    ctx.identity,
    Date.now(),
  );
  const config = Object.keys(tags).length > 0 ? { ...applied.config, tags } : applied.config;
  await configure(ctx, name, config, applied.deadLetterTarget);
  return url;
};

export const getQueueUrl: Action = async (ctx, call) => {
  const name = requiredString(call.input, 'QueueName');
  const owner = optionalString(call.input, 'QueueOwnerAWSAccountId');
  if ((owner !== undefined && owner !== ctx.identity.accountId) || (await ctx.queues.stats(name)) === null) {
    throw sqsErrors.nonExistentQueue();
  }
  return { QueueUrl: queueUrl(call.origin, ctx.identity, name) };
};

export const listQueues: Action = async (ctx, call) => {
  const prefix = optionalString(call.input, 'QueueNamePrefix') ?? '';
  const names = (await sqsQueues(ctx.engine)).map((q) => q.name).filter((name) => name.startsWith(prefix));
  const page = pageOf(names, call.input);
  const output: Record<string, unknown> = {};
  if (page.names.length > 0) output['QueueUrls'] = page.names.map((name) => queueUrl(call.origin, ctx.identity, name));
  if (page.nextToken !== undefined) output['NextToken'] = page.nextToken;
  return output;
};

export const deleteQueue: Action = async (ctx, call) => {
  const name = queueOf(ctx, call);
  await ctx.queues.requireStats(name);
  await ctx.engine.deleteQueue(name);
  ctx.queues.forget(name);
  return {};
};

export const purgeQueue: Action = async (ctx, call) => {
  const name = queueOf(ctx, call);
  await ctx.queues.requireStats(name);
  await ctx.engine.purge(name);
  return {};
};

export const getQueueAttributes: Action = async (ctx, call) => {
  const name = queueOf(ctx, call);
  const names = checkReadableNames(optionalStringList(call.input, 'AttributeNames'));
  const all = attributesOf(await ctx.queues.requireStats(name), ctx.identity);
  const selected: Record<string, string> = {};
  for (const key of names) {
    const value = all[key];
    if (value !== undefined) selected[key] = value;
  }
  return Object.keys(selected).length > 0 ? { Attributes: selected } : {};
};

export const setQueueAttributes: Action = async (ctx, call) => {
  const name = queueOf(ctx, call);
  const changes = optionalStringMap(call.input, 'Attributes');
  if (Object.keys(changes).length === 0) throw sqsErrors.missingParameter('Attributes');
  const info = await ctx.queues.requireStats(name);
  const applied = applyAttributes(info.config, changes, ctx.identity, Date.now());
  await configure(ctx, name, applied.config, applied.deadLetterTarget);
  return {};
};

export const listDeadLetterSourceQueues: Action = async (ctx, call) => {
  const name = queueOf(ctx, call);
  await ctx.queues.requireStats(name);
  const sources = (await sqsQueues(ctx.engine))
    .filter((queue) => {
      try {
        return redrivePolicyOf(queue.config, ctx.identity)?.target === name;
      } catch {
        return false;
      }
    })
    .map((queue) => queue.name);
  const page = pageOf(sources, call.input);
  const output: Record<string, unknown> = {
    queueUrls: page.names.map((source) => queueUrl(call.origin, ctx.identity, source)),
  };
  if (page.nextToken !== undefined) output['NextToken'] = page.nextToken;
  return output;
};
