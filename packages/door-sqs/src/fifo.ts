/**
 * FIFO queues on Docket's groups. A `.fifo` queue is a Docket queue with `groupConcurrency: 1`:
 * each MessageGroupId is a group, whose next message is not received while one is in flight
 * (received and neither deleted nor returned), and whose messages come in send order; a message
 * returned (visibility timeout, ChangeMessageVisibility to 0) comes again before its group's
 * later ones. Deduplication is the engine's dedupKey with SQS's 5-minute window: the
 * MessageDeduplicationId (or the body's SHA-256 with ContentBasedDeduplication), scoped to the
 * queue or, with DeduplicationScope=messageGroup, to the group. SequenceNumber is the job's
 * store sequence, strictly increasing per store, zero-padded to SQS's 20 digits.
 *
 * A MessageGroupId that is not a valid Docket group (SQS allows any printable ASCII) is kept as
 * the group `@sqs-` + its SHA-256 (base64url): distinct ids stay distinct, and the id itself is
 * kept in the job's meta for MessageGroupId.
 */
import { createHash } from 'node:crypto';
import { GROUP_PATTERN, type Job, type QueueConfig } from '@docket/protocol';
import { sqsErrors } from './errors.ts';

export const FIFO_SUFFIX = '.fifo';
export const DEDUP_WINDOW_MS = 5 * 60 * 1000;

/** The FIFO-only attributes, their accepted values and their defaults. */
export const FIFO_ATTRIBUTES: Readonly<
  Record<string, { readonly values: readonly string[]; readonly fallback: string }>
> = {
  FifoQueue: { values: ['true'], fallback: 'true' },
  ContentBasedDeduplication: { values: ['true', 'false'], fallback: 'false' },
  DeduplicationScope: { values: ['queue', 'messageGroup'], fallback: 'queue' },
  FifoThroughputLimit: { values: ['perQueue', 'perMessageGroupId'], fallback: 'perQueue' },
};

const GROUP = new RegExp(GROUP_PATTERN);
const SQS_ID = /^[\x21-\x7e]{1,128}$/;

export function isFifoConfig(config: QueueConfig): boolean {
  return config.attributes?.['FifoQueue'] === 'true';
}

/** A FIFO queue's base config: strict order per group, on top of the standard queue's base. */
export function fifoBase(config: QueueConfig): QueueConfig {
  return { ...config, groupConcurrency: 1, attributes: { ...config.attributes, FifoQueue: 'true' } };
}

export function checkFifoAttribute(name: string, value: string): void {
  const attribute = FIFO_ATTRIBUTES[name];
  if (attribute === undefined || !attribute.values.includes(value)) {
    throw sqsErrors.invalidAttributeValue(`Invalid value for the parameter ${name}.`);
  }
}

/** The FIFO attributes GetQueueAttributes reports for a FIFO queue. */
export function fifoAttributesOf(given: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(FIFO_ATTRIBUTES).map(([name, a]) => [name, given[name] ?? a.fallback]));
}

/** What a message sent to a FIFO queue carries besides its body. */
export interface FifoSend {
  readonly groupId: string;
  readonly dedupId: string;
  /** The engine's dedupKey: the dedupId, scoped to the group when the queue says so. */
  readonly dedupKey: string;
  readonly group: string;
}

export function checkSqsId(name: string, value: string): void {
  if (!SQS_ID.test(value)) throw sqsErrors.invalidParameterValue(`Value ${value} for parameter ${name} is invalid.`);
}

/** The Docket group of a MessageGroupId (see the header). */
export function groupOf(groupId: string): string {
  return GROUP.test(groupId) && !groupId.startsWith('@sqs-')
    ? groupId
    : `@sqs-${createHash('sha256').update(groupId).digest('base64url')}`;
}

export function fifoSend(
  attributes: Readonly<Record<string, string>>,
  body: string,
  groupId: string | undefined,
  dedupId: string | undefined,
): FifoSend {
  if (groupId === undefined) throw sqsErrors.missingParameter('MessageGroupId');
  let id = dedupId;
  if (id === undefined) {
    if (attributes['ContentBasedDeduplication'] !== 'true') {
      throw sqsErrors.invalidParameterValue(
        'The queue should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly',
      );
    }
    id = createHash('sha256').update(body, 'utf8').digest('hex');
  }
  const scoped = attributes['DeduplicationScope'] === 'messageGroup';
  return { groupId, dedupId: id, dedupKey: scoped ? `${groupId}\n${id}` : id, group: groupOf(groupId) };
}

export function sequenceNumber(job: Job): string {
  return String(job.seq).padStart(20, '0');
}
