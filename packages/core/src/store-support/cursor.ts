/**
 * Opaque page cursors, shared by the stores: base64url of a small JSON array `[kind, ...key]`,
 * where the key is the sort key of the last item of the page. The kind ties a cursor to the list
 * that issued it, so a cursor from another list (or a hand-made one) is refused with
 * InvalidArgumentError. Stateless; the format is the same in every store.
 */
import { InvalidArgumentError } from '@docket/protocol';

function encode(value: readonly unknown[]): string {
  return Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
}

function refuse(cursor: string, kind: string): never {
  throw new InvalidArgumentError(`invalid cursor: expected a cursor returned by the previous ${kind} page`, { cursor });
}

function decode(cursor: string, kind: string): unknown[] {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    value = null;
  }
  if (!Array.isArray(value) || value[0] !== kind) return refuse(cursor, kind);
  return value.slice(1);
}

export function encodeNumberCursor(kind: string, key: readonly number[]): string {
  return encode([kind, ...key]);
}

/** The numeric key of a cursor, named: `decodeNumberCursor(c, 'delayed', ['runAt', 'seq'])`. */
export function decodeNumberCursor<K extends string>(
  cursor: string,
  kind: string,
  names: readonly K[],
): Record<K, number> {
  const key = decode(cursor, kind);
  if (key.length !== names.length || !key.every((n) => Number.isSafeInteger(n))) return refuse(cursor, kind);
  return Object.fromEntries(names.map((name, i) => [name, key[i]])) as Record<K, number>;
}

export function encodeStringCursor(kind: string, key: string): string {
  return encode([kind, key]);
}

/** The string key of a cursor of `kind`; with `shape`, a key that does not match it is refused too. */
export function decodeStringCursor(cursor: string, kind: string, shape?: RegExp): string {
  const [key, ...rest] = decode(cursor, kind);
  if (typeof key !== 'string' || rest.length > 0 || (shape !== undefined && !shape.test(key))) {
    return refuse(cursor, kind);
  }
  return key;
}
