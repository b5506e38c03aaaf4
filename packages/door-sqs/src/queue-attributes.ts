/**
 * SQS queue attributes on a Docket queue. Those the engine acts on become its queue config:
 * VisibilityTimeout → `leaseMs`, MessageRetentionPeriod → `ttlMs`, RedrivePolicy's
 * maxReceiveCount → `maxAttempts`. Those the door applies itself (DelaySeconds,
 * MaximumMessageSize, ReceiveMessageWaitTimeSeconds, the dead-letter target) and those only
 * kept and returned (Policy, RedriveAllowPolicy, the KMS and SSE settings) are stored as given in
 * the config's `attributes`. A queue created by CreateQueue gets SQS's behaviour as its base:
 * a lease that runs out makes the message visible again at once (fixed zero backoff), no
 * receive limit without a RedrivePolicy (the engine's most attempts), and deleted messages kept
 * no longer.
 */
import { limits, type BackoffPolicy, type QueueConfig, type QueueStats } from '@docket/protocol';
import { sqsErrors } from './errors.ts';
import { queueArn, queueNameOfArn, type Identity } from './queue-url.ts';
import { checkFifoAttribute, fifoAttributesOf, FIFO_ATTRIBUTES, isFifoConfig } from './fifo.ts';

const SECOND = 1000;
export const DEFAULT_VISIBILITY_TIMEOUT_S = 30;
export const DEFAULT_RETENTION_S = 345_600;
export const DEFAULT_MAX_MESSAGE_SIZE = 1_048_576;
/** No RedrivePolicy: SQS receives a message any number of times; the engine allows this many. */
export const UNLIMITED_RECEIVES = limits.MAX_ATTEMPTS_LIMIT;

const NO_BACKOFF: BackoffPolicy = { type: 'fixed', initialMs: 0, maxMs: 0, factor: 1, jitter: 0 };

/** The config of a queue CreateQueue makes, before its attributes are applied. */
export const SQS_BASE_CONFIG: QueueConfig = {
  leaseMs: DEFAULT_VISIBILITY_TIMEOUT_S * SECOND,
  ttlMs: DEFAULT_RETENTION_S * SECOND,
  maxAttempts: UNLIMITED_RECEIVES,
  backoff: NO_BACKOFF,
  keepCompletedMs: 0,
  keepCompletedCount: 0,
};

const INTEGER_RANGES: Readonly<Record<string, readonly [number, number]>> = {
  DelaySeconds: [0, 900],
  MaximumMessageSize: [1024, DEFAULT_MAX_MESSAGE_SIZE],
  MessageRetentionPeriod: [60, 1_209_600],
  ReceiveMessageWaitTimeSeconds: [0, 20],
  VisibilityTimeout: [0, 43_200],
  KmsDataKeyReusePeriodSeconds: [60, 86_400],
};
const KEPT_AS_GIVEN = ['Policy', 'RedriveAllowPolicy', 'KmsMasterKeyId', 'SqsManagedSseEnabled'];
const FIFO_ONLY = Object.keys(FIFO_ATTRIBUTES);
const READ_ONLY = [
  'ApproximateNumberOfMessages',
  'ApproximateNumberOfMessagesNotVisible',
  'ApproximateNumberOfMessagesDelayed',
  'CreatedTimestamp',
  'LastModifiedTimestamp',
  'QueueArn',
];
export const SETTABLE = [...Object.keys(INTEGER_RANGES), 'RedrivePolicy', ...KEPT_AS_GIVEN];
export const READABLE = [...SETTABLE, ...READ_ONLY, ...FIFO_ONLY];

export interface RedrivePolicy {
  readonly deadLetterTargetArn: string;
  readonly maxReceiveCount: number;
  /** The dead-letter queue's name. */
  readonly target: string;
}

function integerValue(name: string, value: string): number {
  const range = INTEGER_RANGES[name];
  const n = /^\d+$/.test(value) ? Number(value) : Number.NaN;
  if (range === undefined || !(n >= range[0] && n <= range[1])) {
    throw sqsErrors.invalidAttributeValue(`Invalid value for the parameter ${name}.`);
  }
  return n;
}

function jsonValue(name: string, value: string): Record<string, unknown> {
  try {
    const parsed: unknown = JSON.parse(value);
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed))
      return parsed as Record<string, unknown>;
  } catch {
    // answered below
  }
  throw sqsErrors.invalidAttributeValue(`Invalid value for the parameter ${name}.`);
}

export function parseRedrivePolicy(value: string, identity: Identity): RedrivePolicy {
  const policy = jsonValue('RedrivePolicy', value);
  const arn = policy['deadLetterTargetArn'];
  const raw = policy['maxReceiveCount'];
  const count = typeof raw === 'string' && /^\d+$/.test(raw) ? Number(raw) : raw;
  if (
    typeof arn !== 'string' ||
    typeof count !== 'number' ||
    !Number.isInteger(count) ||
    count < 1 ||
    count > UNLIMITED_RECEIVES
  ) {
    throw sqsErrors.invalidParameterValue(
      `Value ${value} for parameter RedrivePolicy is invalid. Reason: Redrive policy is not a valid JSON map with deadLetterTargetArn and maxReceiveCount from 1 to ${UNLIMITED_RECEIVES}.`,
    );
  }
  return { deadLetterTargetArn: arn, maxReceiveCount: count, target: queueNameOfArn(arn, identity, 'RedrivePolicy') };
}

export function redrivePolicyOf(config: QueueConfig, identity: Identity): RedrivePolicy | undefined {
  const text = config.attributes?.['RedrivePolicy'];
  return text === undefined ? undefined : parseRedrivePolicy(text, identity);
}

function without(map: Readonly<Record<string, string>>, key: string): Record<string, string> {
  return Object.fromEntries(Object.entries(map).filter(([name]) => name !== key));
}

/** Refuses read-only and unknown names, and on a standard queue the FIFO-only ones. */
function checkName(name: string, fifo: boolean): void {
  if (fifo && FIFO_ONLY.includes(name)) return;
  if (FIFO_ONLY.includes(name) || !SETTABLE.includes(name)) throw sqsErrors.invalidAttributeName(name);
}

/**
 * `config` with `changes` applied, every value checked. FifoQueue must say what the queue is
 * (`false` on a standard queue, `true` on a FIFO one): a queue's type never changes. Returns the
 * dead-letter target named, for the caller to check it exists and is of the same type.
 */
export function applyAttributes(
  config: QueueConfig,
  changes: Readonly<Record<string, string>>,
  identity: Identity,
  now: number,
): { readonly config: QueueConfig; readonly deadLetterTarget: string | undefined } {
  let attributes: Record<string, string> = { ...config.attributes };
  let next: QueueConfig = config;
  let deadLetterTarget: string | undefined;
  const fifo = isFifoConfig(config);
  for (const [name, value] of Object.entries(changes)) {
    if (name === 'FifoQueue') {
      if (value !== String(fifo)) throw sqsErrors.invalidAttributeValue(`Invalid value for the parameter ${name}.`);
      continue;
    }
    checkName(name, fifo);
    if (name in FIFO_ATTRIBUTES) {
      checkFifoAttribute(name, value);
      attributes[name] = value;
    } else if (name in INTEGER_RANGES) {
      const n = integerValue(name, value);
      attributes[name] = String(n);
      if (name === 'VisibilityTimeout') next = { ...next, leaseMs: Math.max(limits.MIN_LEASE_MS, n * SECOND) };
      if (name === 'MessageRetentionPeriod') next = { ...next, ttlMs: n * SECOND };
    } else if (name === 'RedrivePolicy') {
      if (value === '') {
        attributes = without(attributes, name);
        next = { ...next, maxAttempts: UNLIMITED_RECEIVES };
      } else {
        const policy = parseRedrivePolicy(value, identity);
        attributes[name] = JSON.stringify({
          deadLetterTargetArn: policy.deadLetterTargetArn,
          maxReceiveCount: policy.maxReceiveCount,
        });
        next = { ...next, maxAttempts: policy.maxReceiveCount };
        deadLetterTarget = policy.target;
      }
    } else if (name === 'SqsManagedSseEnabled') {
      if (value !== 'true' && value !== 'false')
        throw sqsErrors.invalidAttributeValue(`Invalid value for the parameter ${name}.`);
      attributes[name] = value;
    } else if (name === 'Policy' || name === 'RedriveAllowPolicy') {
      if (value === '') attributes = without(attributes, name);
      else attributes[name] = JSON.stringify(jsonValue(name, value));
    } else {
      attributes[name] = value;
    }
  }
  if (Object.keys(changes).length > 0) attributes['LastModifiedTimestamp'] = String(Math.floor(now / SECOND));
  return { config: { ...next, attributes }, deadLetterTarget };
}

/** The names GetQueueAttributes and ReceiveMessage accept; `All` for every one. */
export function checkReadableNames(names: readonly string[]): readonly string[] {
  for (const name of names) if (name !== 'All' && !READABLE.includes(name)) throw sqsErrors.invalidAttributeName(name);
  return names.includes('All') ? READABLE : names;
}

/** Every attribute SQS would report for the queue, as strings. */
export function attributesOf(stats: QueueStats, identity: Identity): Record<string, string> {
  const { config } = stats;
  const given = config.attributes ?? {};
  const seconds = (ms: number): string => String(Math.round(ms / SECOND));
  const all: Record<string, string | undefined> = {
    ApproximateNumberOfMessages: String(stats.counts.waiting),
    ApproximateNumberOfMessagesNotVisible: String(stats.counts.active),
    ApproximateNumberOfMessagesDelayed: String(stats.counts.delayed),
    CreatedTimestamp: String(Math.floor(stats.createdAt / SECOND)),
    LastModifiedTimestamp: given['LastModifiedTimestamp'] ?? String(Math.floor(stats.createdAt / SECOND)),
    QueueArn: queueArn(identity, stats.name),
    DelaySeconds: given['DelaySeconds'] ?? '0',
    MaximumMessageSize: given['MaximumMessageSize'] ?? String(DEFAULT_MAX_MESSAGE_SIZE),
    MessageRetentionPeriod: config.ttlMs === undefined ? undefined : seconds(config.ttlMs),
    ReceiveMessageWaitTimeSeconds: given['ReceiveMessageWaitTimeSeconds'] ?? '0',
    VisibilityTimeout: given['VisibilityTimeout'] ?? seconds(config.leaseMs ?? DEFAULT_VISIBILITY_TIMEOUT_S * SECOND),
    SqsManagedSseEnabled: given['SqsManagedSseEnabled'] ?? 'false',
  };
  for (const name of [
    'RedrivePolicy',
    'Policy',
    'RedriveAllowPolicy',
    'KmsMasterKeyId',
    'KmsDataKeyReusePeriodSeconds',
  ]) {
    all[name] = given[name];
  }
  const present: Record<string, string> = isFifoConfig(config) ? fifoAttributesOf(given) : {};
  for (const [name, value] of Object.entries(all)) if (value !== undefined) present[name] = value;
  return present;
}
