/**
 * Client messages of the consumer stream, from text to a checked command: the depth scan before
 * JSON.parse (as for HTTP bodies), then the protocol's schema for the message's `type`. A bad
 * message is answered with an `error` reply naming the field; it never closes the stream.
 */
import { TypeCompiler, type TypeCheck } from '@sinclair/typebox/compiler';
import type { TSchema } from '@sinclair/typebox';
import {
  InvalidArgumentError,
  StreamAckSchema,
  StreamExtendSchema,
  StreamNackSchema,
  StreamWindowSchema,
  limits,
  type StreamClientMessage,
  type StreamRef,
} from '@docket/protocol';
import { jsonDeeperThan } from '../json-depth.ts';

const CHECKS: Readonly<Record<StreamClientMessage['type'], TypeCheck<TSchema>>> = {
  ack: TypeCompiler.Compile(StreamAckSchema),
  nack: TypeCompiler.Compile(StreamNackSchema),
  extend: TypeCompiler.Compile(StreamExtendSchema),
  window: TypeCompiler.Compile(StreamWindowSchema),
};

/** The envelope may nest a result (up to the payload depth) inside one object. */
const MAX_MESSAGE_DEPTH = limits.MAX_JSON_DEPTH + 1;

export type Parsed =
  | { readonly ok: true; readonly message: StreamClientMessage }
  | { readonly ok: false; readonly ref: StreamRef | undefined; readonly error: InvalidArgumentError };

function isRef(value: unknown): value is StreamRef {
  return (typeof value === 'string' && value.length <= 100) || Number.isSafeInteger(value);
}

function refused(message: string, field: string, ref?: StreamRef): Parsed {
  return { ok: false, ref, error: new InvalidArgumentError(message, { field }) };
}

export function parseClientMessage(text: string): Parsed {
  if (jsonDeeperThan(text, MAX_MESSAGE_DEPTH)) {
    return refused(`invalid message: nested deeper than ${MAX_MESSAGE_DEPTH} levels`, '');
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return refused('invalid message: expected a JSON object with a type', '');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return refused('invalid message: expected a JSON object with a type', '');
  }
  const record = value as Record<string, unknown>;
  const ref = isRef(record['ref']) ? record['ref'] : undefined;
  const type = record['type'];
  if (typeof type !== 'string' || !Object.hasOwn(CHECKS, type)) {
    return refused('invalid type: expected ack, nack, extend or window', '/type', ref);
  }
  const check = CHECKS[type as StreamClientMessage['type']];
  if (check.Check(value)) return { ok: true, message: value as StreamClientMessage };
  const first = check.Errors(value).First();
  const field = first?.path ?? '';
  return refused(
    `invalid ${type} message: ${field || 'message'} ${first?.message.toLowerCase() ?? 'is invalid'}`,
    field,
    ref,
  );
}
