/**
 * Payload encoding for storage: JSON values are kept as their UTF-8 JSON text, byte payloads
 * as the bytes themselves. Every store uses these two functions so all stores agree.
 */
import type { JsonValue, PayloadEncoding } from './job.ts';

const textEncoder = new TextEncoder();
const textDecoder = new TextDecoder();

export function encodePayload(encoding: PayloadEncoding, data: JsonValue | Uint8Array): Uint8Array {
  if (encoding === 'bytes') {
    if (!(data instanceof Uint8Array)) throw new TypeError('bytes payload must be a Uint8Array');
    return data;
  }
  return textEncoder.encode(JSON.stringify(data));
}

export function decodePayload(encoding: PayloadEncoding, raw: Uint8Array): JsonValue | Uint8Array {
  if (encoding === 'bytes') return raw;
  return JSON.parse(textDecoder.decode(raw)) as JsonValue;
}
