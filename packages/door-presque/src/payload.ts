/**
 * presque job bodies and engine payloads. presque stores a body verbatim and returns it as sent.
 * A body that is compact JSON (it reads back byte for byte from its parsed value) becomes a JSON
 * payload, so native consumers of a shared queue see a JSON value; any other body (spaced JSON,
 * plain text, invalid UTF-8) is kept as bytes. Either way the presque door returns the original
 * bytes, and a job enqueued through another door is returned as its compact JSON text.
 */
import { limits, type Job, type JsonValue } from '@docket/protocol';
import { jsonDeeperThan } from '@docket/server/door-support';

export function payloadOf(body: Buffer): JsonValue | Uint8Array {
  const text = body.toString('utf8');
  if (!jsonDeeperThan(text, limits.MAX_JSON_DEPTH)) {
    try {
      const value = JSON.parse(text) as JsonValue;
      if (JSON.stringify(value) === text && Buffer.from(text).equals(body)) return value;
    } catch {
      // not JSON: kept as bytes below
    }
  }
  return new Uint8Array(body);
}

/** The job's body as presque returns it. */
export function bodyOf(job: Job): Buffer {
  return job.data instanceof Uint8Array ? Buffer.from(job.data) : Buffer.from(JSON.stringify(job.data));
}
