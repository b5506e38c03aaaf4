/**
 * A page of schedules, by name, as every store lists them: the rows after the cursor's name, one
 * more row than the page asks for to know whether a next page exists.
 */
import type { Page } from '@docket/protocol';
import type { ScheduleRecord } from '../store.ts';
import { decodeStringCursor, encodeStringCursor } from './cursor.ts';

const CURSOR_KIND = 'schedule';

/** The name a schedule page starts after ('' for the first page). */
export function schedulePageAfter(cursor: string | null): string {
  return cursor === null ? '' : decodeStringCursor(cursor, CURSOR_KIND);
}

/** `rows` were read with `limit + 1`: the page and the cursor of the next one, if any. */
export function schedulePage(rows: readonly ScheduleRecord[], limit: number): Page<ScheduleRecord> {
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return {
    items,
    cursor: rows.length > limit && last !== undefined ? encodeStringCursor(CURSOR_KIND, last.name) : null,
  };
}
