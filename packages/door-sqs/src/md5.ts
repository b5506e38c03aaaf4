/**
 * The digests SQS returns with messages, computed exactly as the service does (the SDKs verify
 * them): MD5OfMessageBody is the MD5 of the body's UTF-8 bytes; MD5OfMessageAttributes (and
 * MD5OfMessageSystemAttributes) is the MD5 of every attribute, sorted by name, encoded as
 * name length (4 bytes, big-endian) + name, data type length + data type, a transport byte
 * (1 for String and Number, 2 for Binary), value length + value bytes.
 */
import { createHash } from 'node:crypto';
import type { MessageAttribute } from './message-attributes.ts';

export function md5OfBody(body: string): string {
  return createHash('md5').update(body, 'utf8').digest('hex');
}

function lengthPrefixed(bytes: Buffer): Buffer[] {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(bytes.length);
  return [length, bytes];
}

/** Undefined when there are no attributes: SQS then leaves the digest out. */
export function md5OfAttributes(attributes: Readonly<Record<string, MessageAttribute>>): string | undefined {
  const names = Object.keys(attributes).sort();
  if (names.length === 0) return undefined;
  const hash = createHash('md5');
  for (const name of names) {
    const attribute = attributes[name];
    if (attribute === undefined) continue;
    const binary = attribute.BinaryValue !== undefined;
    const value = binary
      ? Buffer.from(attribute.BinaryValue ?? '', 'base64')
      : Buffer.from(attribute.StringValue ?? '', 'utf8');
    for (const part of [
      ...lengthPrefixed(Buffer.from(name, 'utf8')),
      ...lengthPrefixed(Buffer.from(attribute.DataType, 'utf8')),
      Buffer.from([binary ? 2 : 1]),
      ...lengthPrefixed(value),
    ]) {
      hash.update(part);
    }
  }
  return hash.digest('hex');
}
