/**
 * SendMessage and SendMessageBatch. Each message is checked as SQS checks it (body characters,
 * MaximumMessageSize counting the attributes, DelaySeconds, attribute rules) before anything is
 * enqueued; a batch enqueues its valid entries with one all-or-nothing enqueueMany, and answers
 * after the store committed them. FIFO-only parameters are refused: this door serves standard
 * queues only.
 */
import { queueOf, type Action, type ActionCall, type SqsContext } from '../context.ts';
import { sqsErrors } from '../errors.ts';
import { optionalInteger, optionalString, requiredString, type Input } from '../input.ts';
import { readAttributes } from '../message-attributes.ts';
import { checkBody, messageSize, sendResult, toEnqueueInput, type OutgoingMessage } from '../messages.ts';
import { DEFAULT_MAX_MESSAGE_SIZE } from '../queue-attributes.ts';
import { batchEntries, batchOutput, failedEntry, type FailedEntry } from './batch-entries.ts';

interface QueueLimits {
  readonly delaySeconds: number;
  readonly maxBytes: number;
}

async function limitsOf(ctx: SqsContext, call: ActionCall): Promise<{ readonly queue: string } & QueueLimits> {
  const queue = queueOf(ctx, call);
  const attributes = (await ctx.queues.require(queue)).config.attributes ?? {};
  return {
    queue,
    delaySeconds: Number(attributes['DelaySeconds'] ?? 0),
    maxBytes: Number(attributes['MaximumMessageSize'] ?? DEFAULT_MAX_MESSAGE_SIZE),
  };
}

function readMessage(input: Input, limits: QueueLimits): OutgoingMessage {
  const body = requiredString(input, 'MessageBody');
  const delaySeconds = optionalInteger(input, 'DelaySeconds', 0, 900) ?? limits.delaySeconds;
  if (optionalString(input, 'MessageDeduplicationId') !== undefined) {
    throw sqsErrors.invalidParameterValue(
      'The request includes a parameter that is not valid for this queue type. Reason: MessageDeduplicationId is for FIFO queues, which this server does not serve yet.',
    );
  }
  const groupId = optionalString(input, 'MessageGroupId');
  if (groupId !== undefined && !/^[\x21-\x7e]{1,128}$/.test(groupId)) {
    throw sqsErrors.invalidParameterValue(`Value ${groupId} for parameter MessageGroupId is invalid.`);
  }
  const attributes = readAttributes(input['MessageAttributes'], 'MessageAttributes', false);
  const systemAttributes = readAttributes(input['MessageSystemAttributes'], 'MessageSystemAttributes', true);
  checkBody(body, limits.maxBytes, attributes);
  return { body, delaySeconds, attributes, systemAttributes, groupId };
}

export const sendMessage: Action = async (ctx, call) => {
  const limits = await limitsOf(ctx, call);
  const message = readMessage(call.input, limits);
  const { job } = await ctx.engine.enqueue(limits.queue, toEnqueueInput(message));
  return sendResult(job, message);
};

/** The sum of a batch's messages may not exceed the largest message SQS accepts. */
const MAX_BATCH_BYTES = DEFAULT_MAX_MESSAGE_SIZE;

export const sendMessageBatch: Action = async (ctx, call) => {
  const limits = await limitsOf(ctx, call);
  const entries = batchEntries(call.input);
  const valid: { readonly id: string; readonly message: OutgoingMessage }[] = [];
  const failed: FailedEntry[] = [];
  let bytes = 0;
  for (const entry of entries) {
    try {
      const message = readMessage(entry.input, limits);
      bytes += messageSize(message);
      valid.push({ id: entry.id, message });
    } catch (err) {
      failed.push(failedEntry(entry.id, err));
    }
  }
  if (bytes > MAX_BATCH_BYTES) throw sqsErrors.batchRequestTooLong(bytes, MAX_BATCH_BYTES);
  const results =
    valid.length === 0
      ? []
      : await ctx.engine.enqueueMany(
          limits.queue,
          valid.map(({ message }) => toEnqueueInput(message)),
        );
  const successful = valid.map(({ id, message }, index) => {
    const result = results[index];
    if (result === undefined) throw new Error('enqueueMany answered fewer results than inputs');
    return { Id: id, ...sendResult(result.job, message) };
  });
  return batchOutput(successful, failed);
};
