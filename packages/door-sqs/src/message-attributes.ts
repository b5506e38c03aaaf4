/**
 * Message attributes (the sender's) and message system attributes (AWSTraceHeader): checked
 * as SQS checks them, and kept in the job's `meta`, one entry per attribute under
 * `sqs.attr.<name>` (or `sqs.sys.<name>`) holding `[DataType, value]` as JSON, binary values in
 * base64. A job enqueued through another door has none.
 */
import type { JobMeta } from '@docket/protocol';
import { limits } from '@docket/protocol';
import { sqsErrors } from './errors.ts';
import { asInput, optionalString, type Input } from './input.ts';

export interface MessageAttribute {
  readonly DataType: string;
  readonly StringValue?: string;
  /** Base64, as both wire formats carry it. */
  readonly BinaryValue?: string;
}

export type MessageAttributes = Readonly<Record<string, MessageAttribute>>;

const MAX_ATTRIBUTES = 10;
const USER_PREFIX = 'sqs.attr.';
const SYSTEM_PREFIX = 'sqs.sys.';
/** Meta keys are at most 200 characters; the prefix takes 9 of them. */
const MAX_NAME_LENGTH = 200 - USER_PREFIX.length;
const NAME = /^[A-Za-z0-9_.-]+$/;
const DATA_TYPE = /^(String|Number|Binary)(\.[^\s]{1,250})?$/;
const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

function checkName(name: string): void {
  const reserved = /^(aws\.|amazon\.)/i.test(name);
  if (
    name.length > MAX_NAME_LENGTH ||
    !NAME.test(name) ||
    reserved ||
    name.startsWith('.') ||
    name.endsWith('.') ||
    name.includes('..') ||
    name === '__proto__'
  ) {
    throw sqsErrors.invalidParameterValue(
      `Message (user) attribute name '${name}' is invalid: up to ${MAX_NAME_LENGTH} letters, digits, '_', '-' and '.', not starting with AWS. or Amazon.`,
    );
  }
}

function checkValue(name: string, raw: unknown): MessageAttribute {
  const value: Input = asInput(raw, `Message attribute ${name}`);
  const dataType = optionalString(value, 'DataType');
  if (dataType === undefined || !DATA_TYPE.test(dataType)) {
    throw sqsErrors.invalidParameterValue(`The message attribute '${name}' has an invalid message attribute type.`);
  }
  if (dataType.startsWith('Binary')) {
    const binary = optionalString(value, 'BinaryValue');
    if (binary === undefined || binary === '' || !BASE64.test(binary)) {
      throw sqsErrors.invalidParameterValue(
        `Message (user) attribute '${name}' must contain a non-empty value of type 'Binary'.`,
      );
    }
    return { DataType: dataType, BinaryValue: binary };
  }
  const text = optionalString(value, 'StringValue');
  const kind = dataType.startsWith('Number') ? 'Number' : 'String';
  if (text === undefined || text === '') {
    throw sqsErrors.invalidParameterValue(
      `Message (user) attribute '${name}' must contain a non-empty value of type '${kind}'.`,
    );
  }
  if (kind === 'Number' && !NUMBER.test(text)) {
    throw sqsErrors.invalidParameterValue(`Can't cast the value of message (user) attribute '${name}' to a number.`);
  }
  return { DataType: dataType, StringValue: text };
}

/** The message attributes of a send, checked; `member` names the parameter. */
export function readAttributes(raw: unknown, member: string, systemOnly: boolean): MessageAttributes {
  if (raw === undefined || raw === null) return {};
  const entries = Object.entries(asInput(raw, member));
  if (entries.length > MAX_ATTRIBUTES) {
    throw sqsErrors.invalidParameterValue(
      `Number of message attributes [${entries.length}] exceeds the allowed maximum [${MAX_ATTRIBUTES}].`,
    );
  }
  const attributes: Record<string, MessageAttribute> = {};
  for (const [name, value] of entries) {
    if (systemOnly) {
      if (name !== 'AWSTraceHeader')
        throw sqsErrors.invalidParameterValue(`Message system attribute name '${name}' is invalid.`);
    } else {
      checkName(name);
    }
    const attribute = checkValue(name, value);
    if (systemOnly && attribute.DataType !== 'String') {
      throw sqsErrors.invalidParameterValue(`Message system attribute '${name}' must be of type 'String'.`);
    }
    attributes[name] = attribute;
  }
  return attributes;
}

/** Bytes SQS counts toward the message size: each attribute's name, data type and value. */
export function attributesSize(attributes: MessageAttributes): number {
  let size = 0;
  for (const [name, a] of Object.entries(attributes)) {
    const value =
      a.BinaryValue !== undefined ? Buffer.byteLength(a.BinaryValue, 'base64') : Buffer.byteLength(a.StringValue ?? '');
    size += Buffer.byteLength(name) + Buffer.byteLength(a.DataType) + value;
  }
  return size;
}

function encodeInto(meta: Record<string, string>, prefix: string, attributes: MessageAttributes): void {
  for (const [name, a] of Object.entries(attributes)) {
    const text = JSON.stringify([a.DataType, a.BinaryValue ?? a.StringValue ?? '']);
    if (text.length > limits.MAX_META_VALUE_LENGTH) {
      throw sqsErrors.invalidParameterValue(
        `Message attribute '${name}' is too long for this server: at most about ${limits.MAX_META_VALUE_LENGTH} characters each.`,
      );
    }
    meta[prefix + name] = text;
  }
}

/** Both kinds of attributes as job meta entries. */
export function attributesToMeta(user: MessageAttributes, system: MessageAttributes): Record<string, string> {
  const meta: Record<string, string> = {};
  encodeInto(meta, USER_PREFIX, user);
  encodeInto(meta, SYSTEM_PREFIX, system);
  return meta;
}

function decodeFrom(meta: JobMeta, prefix: string): Record<string, MessageAttribute> {
  const attributes: Record<string, MessageAttribute> = {};
  for (const [key, text] of Object.entries(meta)) {
    if (!key.startsWith(prefix)) continue;
    const parsed: unknown = JSON.parse(text);
    if (!Array.isArray(parsed) || typeof parsed[0] !== 'string' || typeof parsed[1] !== 'string') continue;
    const [dataType, value] = parsed as [string, string];
    attributes[key.slice(prefix.length)] = dataType.startsWith('Binary')
      ? { DataType: dataType, BinaryValue: value }
      : { DataType: dataType, StringValue: value };
  }
  return attributes;
}

export function userAttributesOf(meta: JobMeta): Record<string, MessageAttribute> {
  return decodeFrom(meta, USER_PREFIX);
}

export function systemAttributesOf(meta: JobMeta): Record<string, MessageAttribute> {
  return decodeFrom(meta, SYSTEM_PREFIX);
}

/**
 * The attributes a receive asked for: `All` or `.*` for every one, `prefix.*` for those under a
 * prefix, otherwise exact names.
 */
export function selectAttributes(
  attributes: Readonly<Record<string, MessageAttribute>>,
  names: readonly string[],
): Record<string, MessageAttribute> {
  const selected: Record<string, MessageAttribute> = {};
  for (const [name, attribute] of Object.entries(attributes)) {
    const wanted = names.some(
      (pattern) =>
        pattern === 'All' ||
        pattern === '.*' ||
        pattern === name ||
        (pattern.endsWith('.*') && name.startsWith(pattern.slice(0, -1))),
    );
    if (wanted) selected[name] = attribute;
  }
  return selected;
}
