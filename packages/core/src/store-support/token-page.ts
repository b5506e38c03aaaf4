/**
 * A page of access tokens, by id, as every store lists them: the row after the cursor's id, one
 * more row than the page asks for to know whether a next page exists.
 */
import type { Page } from '@docket/protocol';
import type { TokenRecord } from '../store.ts';
import { decodeStringCursor, encodeStringCursor } from './cursor.ts';

const CURSOR_KIND = 'token';

/** The id a token page starts after ('' for the first page). */
export function tokenPageAfter(cursor: string | null): string {
  return cursor === null ? '' : decodeStringCursor(cursor, CURSOR_KIND);
}

/** `rows` were read with `limit + 1`: the page and the cursor of the next one, if any. */
export function tokenPage(rows: readonly TokenRecord[], limit: number): Page<TokenRecord> {
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return { items, cursor: rows.length > limit && last !== undefined ? encodeStringCursor(CURSOR_KIND, last.id) : null };
}
