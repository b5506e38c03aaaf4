/**
 * ReceiveMessage: up to 10 messages, leased for the VisibilityTimeout (the call's, else the
 * queue's), long-polling up to 20 s (WaitTimeSeconds, else the queue's
 * ReceiveMessageWaitTimeSeconds). A client that goes away, or the door closing, ends the wait
 * and leases nothing. A visibility of 0 leases for the engine's shortest lease (100 ms).
 */
import { limits } from '@docket/protocol';
import { queueOf, type Action } from '../context.ts';
import { sqsErrors } from '../errors.ts';
import { optionalInteger, optionalStringList } from '../input.ts';
import { receivedMessage, SYSTEM_ATTRIBUTE_NAMES } from '../messages.ts';
import { READABLE } from '../queue-attributes.ts';

function systemNames(names: readonly string[]): readonly string[] {
  for (const name of names) {
    if (name !== 'All' && !SYSTEM_ATTRIBUTE_NAMES.includes(name) && !READABLE.includes(name)) {
      throw sqsErrors.invalidAttributeName(name);
    }
  }
  return names.includes('All') ? SYSTEM_ATTRIBUTE_NAMES : names;
}

export const receiveMessage: Action = async (ctx, call) => {
  const queue = queueOf(ctx, call);
  const { input } = call;
  const max = optionalInteger(input, 'MaxNumberOfMessages', 1, 10) ?? 1;
  const visibility = optionalInteger(input, 'VisibilityTimeout', 0, 43_200);
  const wait = optionalInteger(input, 'WaitTimeSeconds', 0, 20);
  const selection = {
    systemNames: systemNames([
      ...optionalStringList(input, 'AttributeNames'),
      ...optionalStringList(input, 'MessageSystemAttributeNames'),
    ]),
    attributeNames: optionalStringList(input, 'MessageAttributeNames'),
  };
  const info = await ctx.queues.require(queue);
  const waitSeconds = wait ?? Number(info.config.attributes?.['ReceiveMessageWaitTimeSeconds'] ?? 0);
  const jobs = await ctx.engine.lease({
    queues: [queue],
    max,
    waitMs: waitSeconds * 1000,
    ...(visibility === undefined ? {} : { leaseMs: Math.max(limits.MIN_LEASE_MS, visibility * 1000) }),
    signal: call.signal,
  });
  return jobs.length === 0 ? {} : { Messages: jobs.map((job) => receivedMessage(job, selection, ctx.identity)) };
};
