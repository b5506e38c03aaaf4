/**
 * Browsing the jobs of a queue, one page at a time (job-list.lua): waiting in lease order, delayed
 * by (runAt, seq), every other state and the all-states list by seq. Each page reads `limit + 1`
 * jobs so the last page says so (cursor null) instead of leaving an empty page to fetch.
 */
import type { Job, JobState, Page } from '@docket/protocol';
import type { JobListParams } from '@docket/core';
import { decodeStringCursor, encodeStringCursor } from '@docket/core/store-support';
import { fieldsToJob, optText, toFields } from './job-fields.ts';
import { asArray } from './replies.ts';
import { run, type StoreContext } from './store-context.ts';

/** What a cursor's key looks like: an index member (hex sort key, then the id) or a seq. */
const KEY_SHAPES: Readonly<Record<string, RegExp>> = {
  waiting: /^[0-9a-f]{36}./s,
  delayed: /^[0-9a-f]{28}./s,
};
const SEQ_SHAPE = /^[0-9]{1,16}$/;

function cursorKind(state: JobState | null): string {
  return state ?? 'all';
}

export async function jobList(ctx: StoreContext, p: JobListParams): Promise<Page<Job>> {
  const kind = cursorKind(p.state);
  const after = p.cursor === null ? null : decodeStringCursor(p.cursor, kind, KEY_SHAPES[kind] ?? SEQ_SHAPE);
  const reply = await run(ctx, 'job-list', [p.queue, optText(p.state), String(p.limit + 1), optText(after)]);
  const rows = asArray(reply).map((row) => {
    const [key, fields] = asArray(row);
    return { key: String(key), job: fieldsToJob(toFields(fields)) };
  });
  const page = rows.slice(0, p.limit);
  const last = page.at(-1);
  const cursor = rows.length > p.limit && last !== undefined ? encodeStringCursor(kind, last.key) : null;
  return { items: page.map((row) => row.job), cursor };
}
