/**
 * SQS messages as Docket jobs, both ways. A body is stored as its UTF-8 bytes (a bytes payload),
 * so its size and MD5 are exactly what the sender sent; a job enqueued through another door is
 * received with its JSON text as the body (a JSON string as the string itself). Attributes live
 * in `meta` (message-attributes.ts), with `sqs.group` (MessageGroupId), `sqs.dedup` (a FIFO
 * message's MessageDeduplicationId), and, on a message a
 * dead-letter move or a move task copied, `sqs.id` (the MessageId it was sent with), `sqs.sent`
 * (its SentTimestamp) and `sqs.source` (the queue it died in).
 */
import type { EnqueueInput, Job, LeasedJob } from '@docket/protocol';
import { sqsErrors } from './errors.ts';
import { md5OfAttributes, md5OfBody } from './md5.ts';
import {
  attributesSize,
  attributesToMeta,
  selectAttributes,
  systemAttributesOf,
  userAttributesOf,
  type MessageAttributes,
} from './message-attributes.ts';
import { encodeReceipt } from './receipt-handle.ts';
import { DEDUP_WINDOW_MS, sequenceNumber, type FifoSend } from './fifo.ts';
import { queueArn, type Identity } from './queue-url.ts';

/** The characters SQS accepts in a body (XML's): anything else is InvalidMessageContents. */
const INVALID_CHARACTER = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;

export const META = {
  group: 'sqs.group',
  dedup: 'sqs.dedup',
  id: 'sqs.id',
  sent: 'sqs.sent',
  source: 'sqs.source',
} as const;

export interface OutgoingMessage {
  readonly body: string;
  readonly delaySeconds: number;
  readonly attributes: MessageAttributes;
  readonly systemAttributes: MessageAttributes;
  readonly groupId: string | undefined;
  /** Set for a message to a FIFO queue (fifo.ts). */
  readonly fifo: FifoSend | undefined;
}

/** Bytes SQS counts toward MaximumMessageSize. */
export function messageSize(message: Pick<OutgoingMessage, 'body' | 'attributes'>): number {
  return Buffer.byteLength(message.body, 'utf8') + attributesSize(message.attributes);
}

export function checkBody(body: string, maxBytes: number, attributes: MessageAttributes): void {
  if (INVALID_CHARACTER.test(body)) {
    throw sqsErrors.invalidMessageContents(
      'Invalid binary character was found in the message body, the set of allowed characters is #x9 | #xA | #xD | #x20 to #xD7FF | #xE000 to #xFFFD | #x10000 to #x10FFFF',
    );
  }
  if (messageSize({ body, attributes }) > maxBytes) {
    throw sqsErrors.invalidParameterValue(
      `One or more parameters are invalid. Reason: Message must be shorter than ${maxBytes} bytes.`,
    );
  }
}

export function toEnqueueInput(message: OutgoingMessage): EnqueueInput {
  const meta = attributesToMeta(message.attributes, message.systemAttributes);
  if (message.groupId !== undefined) meta[META.group] = message.groupId;
  let input: EnqueueInput = { data: new Uint8Array(Buffer.from(message.body, 'utf8')), meta };
  if (message.fifo !== undefined) {
    meta[META.dedup] = message.fifo.dedupId;
    input = { ...input, group: message.fifo.group, dedupKey: message.fifo.dedupKey, dedupWindowMs: DEDUP_WINDOW_MS };
  }
  return message.delaySeconds > 0 ? { ...input, delayMs: message.delaySeconds * 1000 } : input;
}

/** What SendMessage and each SendMessageBatch entry answer. */
export function sendResult(job: Job, message: OutgoingMessage): Record<string, string> {
  const result: Record<string, string> = { MessageId: job.id, MD5OfMessageBody: md5OfBody(message.body) };
  const attributes = md5OfAttributes(message.attributes);
  if (attributes !== undefined) result['MD5OfMessageAttributes'] = attributes;
  const system = md5OfAttributes(message.systemAttributes);
  if (system !== undefined) result['MD5OfMessageSystemAttributes'] = system;
  if (message.fifo !== undefined) result['SequenceNumber'] = sequenceNumber(job);
  return result;
}

export function bodyOf(job: Job): string {
  if (job.data instanceof Uint8Array)
    return Buffer.from(job.data.buffer, job.data.byteOffset, job.data.byteLength).toString('utf8');
  return typeof job.data === 'string' ? job.data : JSON.stringify(job.data);
}

/** The system attributes ReceiveMessage can return, by name. */
function systemAttribute(job: Job, name: string, identity: Identity): string | undefined {
  switch (name) {
    case 'SenderId':
      return identity.accountId;
    case 'SentTimestamp':
      return job.meta[META.sent] ?? String(job.createdAt);
    case 'ApproximateReceiveCount':
      return String(job.attempts);
    case 'ApproximateFirstReceiveTimestamp':
      return job.startedAt === null ? undefined : String(job.startedAt);
    case 'AWSTraceHeader':
      return systemAttributesOf(job.meta)['AWSTraceHeader']?.StringValue;
    case 'MessageGroupId':
      return job.meta[META.group];
    case 'MessageDeduplicationId':
      return job.meta[META.dedup];
    case 'SequenceNumber':
      return job.meta[META.dedup] === undefined ? undefined : sequenceNumber(job);
    case 'DeadLetterQueueSourceArn': {
      const source = job.meta[META.source];
      return source === undefined ? undefined : queueArn(identity, source);
    }
    default:
      return undefined;
  }
}

export const SYSTEM_ATTRIBUTE_NAMES = [
  'SenderId',
  'SentTimestamp',
  'ApproximateReceiveCount',
  'ApproximateFirstReceiveTimestamp',
  'AWSTraceHeader',
  'MessageGroupId',
  'DeadLetterQueueSourceArn',
  'MessageDeduplicationId',
  'SequenceNumber',
  'SqsManagedSseEnabled',
];

export interface ReceiveSelection {
  /** System attribute names, `All` expanded. */
  readonly systemNames: readonly string[];
  readonly attributeNames: readonly string[];
}

/** One message of a ReceiveMessage answer. */
export function receivedMessage(
  job: LeasedJob,
  selection: ReceiveSelection,
  identity: Identity,
): Record<string, unknown> {
  const body = bodyOf(job);
  const message: Record<string, unknown> = {
    MessageId: job.meta[META.id] ?? job.id,
    ReceiptHandle: encodeReceipt({ queue: job.queue, id: job.id, token: job.leaseToken }),
    MD5OfBody: md5OfBody(body),
    Body: body,
  };
  const system: Record<string, string> = {};
  for (const name of selection.systemNames) {
    const value = systemAttribute(job, name, identity);
    if (value !== undefined) system[name] = value;
  }
  if (Object.keys(system).length > 0) message['Attributes'] = system;
  const attributes = selectAttributes(userAttributesOf(job.meta), selection.attributeNames);
  const digest = md5OfAttributes(attributes);
  if (digest !== undefined) {
    message['MessageAttributes'] = attributes;
    message['MD5OfMessageAttributes'] = digest;
  }
  return message;
}
