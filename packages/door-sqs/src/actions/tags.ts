/**
 * Queue tags (TagQueue, UntagQueue, ListQueueTags), kept in the queue config's `tags`, within
 * SQS's limits: 50 tags, keys of 1 to 128 characters, values up to 256.
 */
import { limits } from '@docket/protocol';
import { queueOf, type Action } from '../context.ts';
import { sqsErrors } from '../errors.ts';
import { optionalStringList, optionalStringMap } from '../input.ts';

export function checkTags(tags: Readonly<Record<string, string>>): void {
  const keys = Object.keys(tags);
  if (keys.length > limits.MAX_QUEUE_TAGS) {
    throw sqsErrors.invalidParameterValue(`Too many tags: a queue has at most ${limits.MAX_QUEUE_TAGS}.`);
  }
  for (const key of keys) {
    if (key.length < 1 || key.length > 128 || key === '__proto__')
      throw sqsErrors.invalidParameterValue(`Tag key ${key} must be 1 to 128 characters.`);
    if ((tags[key] ?? '').length > 256)
      throw sqsErrors.invalidParameterValue(`The value of tag ${key} must be at most 256 characters.`);
  }
}

export const tagQueue: Action = async (ctx, call) => {
  const name = queueOf(ctx, call);
  const added = optionalStringMap(call.input, 'Tags');
  if (Object.keys(added).length === 0) throw sqsErrors.missingParameter('Tags');
  const info = await ctx.queues.requireStats(name);
  const tags = { ...info.config.tags, ...added };
  checkTags(tags);
  ctx.queues.remember(await ctx.engine.configureQueue(name, { ...info.config, tags }));
  return {};
};

export const untagQueue: Action = async (ctx, call) => {
  const name = queueOf(ctx, call);
  const keys = optionalStringList(call.input, 'TagKeys');
  if (keys.length === 0) throw sqsErrors.missingParameter('TagKeys');
  const info = await ctx.queues.requireStats(name);
  const tags = Object.fromEntries(Object.entries(info.config.tags ?? {}).filter(([key]) => !keys.includes(key)));
  ctx.queues.remember(await ctx.engine.configureQueue(name, { ...info.config, tags }));
  return {};
};

export const listQueueTags: Action = async (ctx, call) => {
  const tags = (await ctx.queues.requireStats(queueOf(ctx, call))).config.tags ?? {};
  return Object.keys(tags).length > 0 ? { Tags: tags } : {};
};
