/**
 * Opaque page cursors: base64url of a small JSON array `[kind, key]`, where the key is what the
 * next page starts after (an index member, a seq, a name). The kind ties a cursor to the list
 * that issued it, so a cursor from another list, or a hand-made one, is refused with
 * InvalidArgumentError.
 */
import { InvalidArgumentError } from '@docket/protocol';

export function encodeCursor(kind: string, key: string): string {
  return Buffer.from(JSON.stringify([kind, key]), 'utf8').toString('base64url');
}

/** The key of a cursor of `kind` whose key matches `shape`. */
export function decodeCursor(cursor: string, kind: string, shape: RegExp): string {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    value = null;
  }
  if (!Array.isArray(value) || value.length !== 2 || value[0] !== kind) return refuse(cursor, kind);
  const key: unknown = value[1];
  return typeof key === 'string' && shape.test(key) ? key : refuse(cursor, kind);
}

function refuse(cursor: string, kind: string): never {
  throw new InvalidArgumentError(`invalid cursor: expected a cursor returned by the previous ${kind} page`, { cursor });
}
