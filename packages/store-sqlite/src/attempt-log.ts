/**
 * The jobs table's `attempt_log` column (migration 0005): a job's attempt history as JSON text,
 * written by a nack in the same statement that gives the job back (job-give-back.sql) and read
 * by jobAttempts. No other statement writes it, so the hot path (enqueue, lease, ack) pays
 * nothing for it.
 */
import type { JobAttempts } from '@docket/protocol';
import type { JobGetParams } from '@docket/core';
import { parseAttemptLog } from '@docket/core/store-support';
import type { StoreContext } from './store-context.ts';

export function jobAttempts(ctx: StoreContext, p: JobGetParams): JobAttempts | null {
  const row = ctx.q.jobGetAttempts.get({ id: p.id }) as { attempt_log: string | null } | undefined;
  return row === undefined ? null : parseAttemptLog(row.attempt_log);
}
