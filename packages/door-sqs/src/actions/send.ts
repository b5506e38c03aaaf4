/**
 * SendMessage and SendMessageBatch. Each message is checked as SQS checks it (body characters,
 * MaximumMessageSize counting the attributes, DelaySeconds, attribute rules) before anything is
 * enqueued; a batch enqueues its valid entries with one all-or-nothing enqueueMany, and answers
 * after the store committed them. A FIFO queue's messages need a MessageGroupId and a
 * deduplication id (or the queue's ContentBasedDeduplication), and take no DelaySeconds of their
 * own (fifo.ts); a standard queue refuses MessageDeduplicationId, as SQS does.
 */
import { queueOf, type Action, type ActionCall, type SqsContext } from '../context.ts';
import { sqsErrors } from '../errors.ts';
import { optionalInteger, optionalString, requiredString, type Input } from '../input.ts';
import { readAttributes } from '../message-attributes.ts';
import { checkBody, messageSize, sendResult, toEnqueueInput, type OutgoingMessage } from '../messages.ts';
import { DEFAULT_MAX_MESSAGE_SIZE } from '../queue-attributes.ts';
import { checkSqsId, fifoSend, isFifoConfig } from '../fifo.ts';
import { batchEntries, batchOutput, failedEntry, type FailedEntry } from './batch-entries.ts';

interface QueueLimits {
  readonly delaySeconds: number;
  readonly maxBytes: number;
  /** The queue's attributes when it is a FIFO queue. */
  readonly fifo: Readonly<Record<string, string>> | undefined;
}

async function limitsOf(ctx: SqsContext, call: ActionCall): Promise<{ readonly queue: string } & QueueLimits> {
  const queue = queueOf(ctx, call);
  const { config } = await ctx.queues.require(queue);
  const attributes = config.attributes ?? {};
  return {
    queue,
    delaySeconds: Number(attributes['DelaySeconds'] ?? 0),
    maxBytes: Number(attributes['MaximumMessageSize'] ?? DEFAULT_MAX_MESSAGE_SIZE),
    fifo: isFifoConfig(config) ? attributes : undefined,
  };
}

const WRONG_QUEUE_TYPE = 'The request include parameter that is not valid for this queue type.';

function readMessage(input: Input, limits: QueueLimits): OutgoingMessage {
  const body = requiredString(input, 'MessageBody');
  const ownDelay = optionalInteger(input, 'DelaySeconds', 0, 900);
  const dedupId = optionalString(input, 'MessageDeduplicationId');
  if (dedupId !== undefined) checkSqsId('MessageDeduplicationId', dedupId);
  const groupId = optionalString(input, 'MessageGroupId');
  if (groupId !== undefined) checkSqsId('MessageGroupId', groupId);
  if (limits.fifo === undefined && dedupId !== undefined) {
    throw sqsErrors.invalidParameterValue(
      `The request includes a parameter that is not valid for this queue type. Reason: MessageDeduplicationId is for FIFO queues.`,
    );
  }
  if (limits.fifo !== undefined && ownDelay !== undefined) {
    throw sqsErrors.invalidParameterValue(
      `Value ${ownDelay} for parameter DelaySeconds is invalid. Reason: ${WRONG_QUEUE_TYPE}`,
    );
  }
  const attributes = readAttributes(input['MessageAttributes'], 'MessageAttributes', false);
  const systemAttributes = readAttributes(input['MessageSystemAttributes'], 'MessageSystemAttributes', true);
  checkBody(body, limits.maxBytes, attributes);
  const fifo = limits.fifo === undefined ? undefined : fifoSend(limits.fifo, body, groupId, dedupId);
  return { body, delaySeconds: ownDelay ?? limits.delaySeconds, attributes, systemAttributes, groupId, fifo };
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
