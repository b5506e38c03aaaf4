/**
 * emq's strict request decoding, after Go's encoding/json with DisallowUnknownFields: one JSON
 * object (a top-level `null` means all defaults), field names matched case-insensitively, unknown
 * fields refused, numbers that must be uint32 refused otherwise, and a second top-level value
 * refused (a trailing `]` or `}` is let through, as Go's decoder does). Messages are Go's.
 */
import { limits, type JsonValue } from '@docket/protocol';
import { jsonDeeperThan } from '@docket/server/door-support';
import { EmqError } from './errors.ts';

const UINT32_MAX = 4_294_967_295;

/** `strings` is Go's []string; `uids` emq's []uid.UID (base64 text, checked after decoding). */
export type FieldKind = 'any' | 'uint32' | 'strings' | 'uids';

/** The Go type names of a list field and of its items, as Go's type errors name them. */
const LIST_TYPES: Readonly<Record<'strings' | 'uids', { list: string; item: string }>> = {
  strings: { list: '[]string', item: 'string' },
  uids: { list: '[]uid.UID', item: 'uid.UID' },
};

/** A Go request struct: its name in messages (`TaskConfig`) and its fields by JSON name. */
export interface RequestShape {
  readonly type: string;
  readonly fields: Readonly<Record<string, FieldKind>>;
}

export type Decoded = Readonly<Record<string, JsonValue | undefined>>;

/** Index just past the first JSON value of `text` (which starts at a non-space character). */
function endOfFirstValue(text: string, start: number): number {
  let depth = 0;
  let inString = false;
  for (let i = start; i < text.length; i += 1) {
    const c = text.charAt(i);
    if (inString) {
      if (c === '\\') i += 1;
      else if (c === '"') {
        inString = false;
        if (depth === 0) return i + 1;
      }
    } else if (c === '"') inString = true;
    else if (c === '{' || c === '[') depth += 1;
    else if (c === '}' || c === ']') {
      depth -= 1;
      if (depth <= 0) return i + 1;
    } else if (depth === 0 && /[\s,:]/.test(c)) return i;
  }
  return text.length;
}

function goType(value: JsonValue): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'object') return 'object';
  if (typeof value === 'boolean') return 'bool';
  return typeof value;
}

/** True when `text` from `start` is the beginning of a JSON value cut short (Go: unexpected EOF). */
function truncated(text: string, start: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = start; i < text.length; i += 1) {
    const c = text.charAt(i);
    if (inString) {
      if (c === '\\') i += 1;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '{' || c === '[') depth += 1;
    else if (c === '}' || c === ']') depth -= 1;
  }
  if (inString || depth > 0) return true;
  const literal = text.slice(start).trim();
  return ['true', 'false', 'null'].some((word) => word !== literal && word.startsWith(literal));
}

/** Parses the single top-level value of a body, as Go's json.Decoder reads it. */
function parseSingle(body: string | undefined): JsonValue {
  const text = body ?? '';
  const start = text.search(/\S/);
  if (start < 0) throw new EmqError('EOF');
  if (jsonDeeperThan(text, limits.MAX_JSON_DEPTH + 2)) {
    throw new EmqError(`json: nested deeper than ${limits.MAX_JSON_DEPTH + 2} levels`);
  }
  const end = endOfFirstValue(text, start);
  let value: JsonValue;
  try {
    value = JSON.parse(text.slice(start, end)) as JsonValue;
  } catch (err) {
    if (truncated(text, start)) throw new EmqError('unexpected EOF');
    throw new EmqError(`invalid character in JSON: ${(err as Error).message}`);
  }
  const rest = text.slice(end).trimStart();
  if (rest !== '' && !rest.startsWith(']') && !rest.startsWith('}')) {
    throw new EmqError('expected exactly 1 top-level object');
  }
  return value;
}

function checkField(shape: RequestShape, name: string, kind: FieldKind, value: JsonValue): void {
  if (value === null || kind === 'any') return;
  const where = `Go struct field ${shape.type}.${name}`;
  if (kind === 'uint32') {
    if (typeof value !== 'number')
      throw new EmqError(`json: cannot unmarshal ${goType(value)} into ${where} of type uint32`);
    if (!Number.isInteger(value) || value < 0 || value > UINT32_MAX) {
      throw new EmqError(`json: cannot unmarshal number ${String(value)} into ${where} of type uint32`);
    }
    return;
  }
  const types = LIST_TYPES[kind];
  if (!Array.isArray(value))
    throw new EmqError(`json: cannot unmarshal ${goType(value)} into ${where} of type ${types.list}`);
  for (const item of value) {
    if (item !== null && typeof item !== 'string') {
      throw new EmqError(`json: cannot unmarshal ${goType(item)} into ${where} of type ${types.item}`);
    }
  }
}

/**
 * Decodes a request body into the shape's fields (absent fields are undefined; `null` stays
 * null and means the default).
 */
export function decodeRequest(body: string | undefined, shape: RequestShape): Decoded {
  const value = parseSingle(body);
  if (value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new EmqError(`json: cannot unmarshal ${goType(value)} into Go value of type main.${shape.type}`);
  }
  const out: Record<string, JsonValue> = {};
  for (const [key, field] of Object.entries(value)) {
    const name = Object.keys(shape.fields).find((candidate) => candidate.toLowerCase() === key.toLowerCase());
    const kind = name === undefined ? undefined : shape.fields[name];
    if (name === undefined || kind === undefined) throw new EmqError(`json: unknown field "${key}"`);
    checkField(shape, name, kind, field);
    out[name] = field;
  }
  return out;
}
