/**
 * JSON text columns. Those that repeat across many rows (backoff, meta) are encoded and decoded
 * with small caches so a batch of thousands of jobs does not stringify and parse the same policy
 * each time; cached objects are frozen: every job that shares one sees the same immutable value.
 *
 * The payload column `data` holds a JSON payload as TEXT (its JSON text, as the driver binds a
 * string) and a byte payload as a BLOB. The stored bytes are those of protocol's encodePayload
 * either way; binding the JSON text directly skips a TextEncoder copy per job (about 1 µs, a
 * tenth of an insert). Rows written by earlier builds hold JSON payloads as BLOBs: reads accept both.
 */
import {
  decodePayload,
  encodePayload,
  type BackoffPolicy,
  type JobMeta,
  type JsonValue,
  type PayloadEncoding,
} from '@docket/protocol';

/**
 * Distinct backoff texts remembered for decoding. Real deployments have a handful (the default,
 * one per queue config, a few per-job overrides); the bound stops a client that sends a new
 * policy with every job from growing memory without limit.
 */
const BACKOFF_CACHE_MAX = 256;

const EMPTY_META: JobMeta = Object.freeze({});
const EMPTY_META_TEXT = '{}';

const backoffTexts = new WeakMap<BackoffPolicy, string>();
const backoffPolicies = new Map<string, BackoffPolicy>();

export function stringifyBackoff(backoff: BackoffPolicy): string {
  let text = backoffTexts.get(backoff);
  if (text === undefined) {
    text = JSON.stringify(backoff);
    backoffTexts.set(backoff, text);
  }
  return text;
}

export function parseBackoff(text: string): BackoffPolicy {
  const cached = backoffPolicies.get(text);
  if (cached !== undefined) return cached;
  const policy = Object.freeze(JSON.parse(text) as BackoffPolicy);
  if (backoffPolicies.size < BACKOFF_CACHE_MAX) backoffPolicies.set(text, policy);
  return policy;
}

export function stringifyMeta(meta: JobMeta): string {
  for (const _ in meta) return JSON.stringify(meta);
  return EMPTY_META_TEXT;
}

export function parseMeta(text: string): JobMeta {
  return text === EMPTY_META_TEXT ? EMPTY_META : (JSON.parse(text) as JobMeta);
}

/** The value bound to the `data` column. */
export function stringifyData(encoding: PayloadEncoding, data: JsonValue | Uint8Array): string | Uint8Array {
  return encoding === 'json' ? JSON.stringify(data) : encodePayload(encoding, data);
}

/**
 * The payload of a `data` column value. Byte payloads are copied out of the driver's Buffer into
 * a plain Uint8Array: the Buffer may be a view into a shared pool, and callers compare payloads
 * with the type they sent.
 */
export function parseData(encoding: PayloadEncoding, raw: string | Uint8Array): JsonValue | Uint8Array {
  if (typeof raw === 'string') return JSON.parse(raw) as JsonValue;
  return decodePayload(encoding, encoding === 'bytes' ? new Uint8Array(raw) : raw);
}
