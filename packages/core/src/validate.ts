/**
 * Input validation for every engine operation, so library mode gets the same precise
 * InvalidArgumentError (with `details`) as the HTTP API. Shapes come from the protocol's TypeBox
 * schemas; the checks TypeBox cannot express (payload size and depth, option conflicts) live here.
 */
import { TypeCompiler } from '@sinclair/typebox/compiler';
import {
  InvalidArgumentError,
  JobOptionsSchema,
  LeaseOptionsSchema,
  PayloadTooLargeError,
  QueueConfigSchema,
  WORKER_ID_PATTERN,
  QUEUE_NAME_RULE,
  isQueueName,
  limits,
  type JobOptions,
  type JsonValue,
  type QueueConfig,
} from '@docket/protocol';
import type { TSchema } from '@sinclair/typebox';
import type { EnqueueInput, LeaseOptions } from './engine-api.ts';

const jobOptionsCheck = TypeCompiler.Compile(JobOptionsSchema);
const queueConfigCheck = TypeCompiler.Compile(QueueConfigSchema);
const leaseOptionsCheck = TypeCompiler.Compile(LeaseOptionsSchema);

export function check<T extends TSchema>(
  compiled: ReturnType<typeof TypeCompiler.Compile<T>>,
  value: unknown,
  what: string,
): void {
  if (compiled.Check(value)) return;
  const first = compiled.Errors(value).First();
  const path = first?.path === '' || first === undefined ? what : `${what}${first.path.replaceAll('/', '.')}`;
  throw new InvalidArgumentError(`invalid ${path}: ${first?.message.toLowerCase() ?? 'unexpected value'}`, {
    field: path,
  });
}

export function assertQueueName(queue: unknown): asserts queue is string {
  if (typeof queue !== 'string' || !isQueueName(queue)) {
    throw new InvalidArgumentError(`invalid queue name: ${QUEUE_NAME_RULE}`, { field: 'queue' });
  }
}

export function assertJobId(id: unknown): asserts id is string {
  if (typeof id !== 'string' || id.length === 0 || id.length > limits.MAX_ID_LENGTH) {
    throw new InvalidArgumentError(`invalid job id: expected 1 to ${limits.MAX_ID_LENGTH} characters`, {
      field: 'id',
    });
  }
}

export function assertToken(token: unknown): asserts token is string {
  if (typeof token !== 'string' || token.length === 0 || token.length > 200) {
    throw new InvalidArgumentError('invalid lease token: expected the token returned by lease', { field: 'token' });
  }
}

export function assertWorkerId(id: unknown): asserts id is string {
  if (typeof id !== 'string' || !WORKER_ID_PATTERN.test(id)) {
    throw new InvalidArgumentError(
      'invalid worker id: expected 1 to 100 characters of letters, digits and . _ : / @ -',
      {
        field: 'worker',
      },
    );
  }
}

/** Depth of a JSON value, walked iteratively so a hostile value cannot overflow the stack. */
function exceedsDepth(value: JsonValue, max: number): boolean {
  const stack: Array<[unknown, number]> = [[value, 1]];
  while (stack.length > 0) {
    const [v, depth] = stack.pop() as [unknown, number];
    if (v === null || typeof v !== 'object') continue;
    if (depth > max) return true;
    for (const child of Array.isArray(v) ? v : Object.values(v)) stack.push([child, depth + 1]);
  }
  return false;
}

const encoder = new TextEncoder();

/** Checks a payload's type, JSON depth and encoded size. */
export function assertPayload(data: unknown, field = 'data'): void {
  if (data instanceof Uint8Array) {
    if (data.byteLength > limits.MAX_PAYLOAD_BYTES) throw payloadTooLarge(data.byteLength);
    return;
  }
  if (data === undefined) throw new InvalidArgumentError(`missing ${field}: expected a JSON value or bytes`, { field });
  if (exceedsDepth(data as JsonValue, limits.MAX_JSON_DEPTH)) {
    throw new InvalidArgumentError(`${field} is nested deeper than ${limits.MAX_JSON_DEPTH} levels`, { field });
  }
  let text: string | undefined;
  try {
    text = JSON.stringify(data);
  } catch (err) {
    throw new InvalidArgumentError(`${field} is not serialisable as JSON`, { field }, { cause: err });
  }
  if (text === undefined) throw new InvalidArgumentError(`${field} is not a JSON value`, { field });
  const size = text.length > limits.MAX_PAYLOAD_BYTES / 3 ? encoder.encode(text).byteLength : text.length;
  if (size > limits.MAX_PAYLOAD_BYTES) throw payloadTooLarge(size);
}

function payloadTooLarge(size: number): PayloadTooLargeError {
  return new PayloadTooLargeError(`payload is ${size} bytes: the limit is ${limits.MAX_PAYLOAD_BYTES}`, {
    size,
    limit: limits.MAX_PAYLOAD_BYTES,
  });
}

export function assertEnqueueInput(input: EnqueueInput): JobOptions {
  if (typeof input !== 'object' || input === null) {
    throw new InvalidArgumentError('invalid job: expected an object with data', { field: 'job' });
  }
  const { data, ...options } = input;
  assertPayload(data);
  check(jobOptionsCheck, options, 'job');
  if (options.delayMs !== undefined && options.runAt !== undefined) {
    throw new InvalidArgumentError('give delayMs or runAt, not both', { field: 'runAt' });
  }
  if (options.ttlMs !== undefined && options.expiresAt !== undefined) {
    throw new InvalidArgumentError('give ttlMs or expiresAt, not both', { field: 'expiresAt' });
  }
  if (options.dedupWindowMs !== undefined && options.dedupKey === undefined) {
    throw new InvalidArgumentError('dedupWindowMs needs a dedupKey', { field: 'dedupWindowMs' });
  }
  return options;
}

export function assertQueueConfig(config: QueueConfig): void {
  check(queueConfigCheck, config, 'config');
}

export function assertLeaseOptions(options: LeaseOptions): void {
  const { signal: _signal, ...rest } = options;
  check(leaseOptionsCheck, rest, 'lease');
  for (const queue of options.queues) assertQueueName(queue);
}

export function assertNonNegativeInt(value: unknown, field: string, max: number): asserts value is number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > max) {
    throw new InvalidArgumentError(`invalid ${field}: expected an integer from 0 to ${max}`, { field });
  }
}

export function assertPositiveInt(value: unknown, field: string, max: number): asserts value is number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > max) {
    throw new InvalidArgumentError(`invalid ${field}: expected an integer from 1 to ${max}`, { field });
  }
}

export function assertLeaseMs(value: unknown): asserts value is number {
  if (
    typeof value !== 'number' ||
    !Number.isInteger(value) ||
    value < limits.MIN_LEASE_MS ||
    value > limits.MAX_LEASE_MS
  ) {
    throw new InvalidArgumentError(
      `invalid leaseMs: expected an integer from ${limits.MIN_LEASE_MS} to ${limits.MAX_LEASE_MS}`,
      { field: 'leaseMs' },
    );
  }
}
