/**
 * The batch ack: one statement (job-complete-many.sql) completes every item that holds its
 * job's current, unexpired lease; each item it did not complete then goes through the single ack
 * (job-settle.ts), which tries its guarded statement again and otherwise works out the refusal,
 * so outcomes are those of acking the items one by one, in order.
 */
import type { Job } from '@docket/protocol';
import type { JobAckManyParams, SettleOutcome } from '@docket/core';
import { jobAck } from './job-settle.ts';
import { rowToJob, type JobRow } from './row-mapping.ts';
import type { Session } from './session.ts';

export async function jobAckMany(s: Session, p: JobAckManyParams): Promise<SettleOutcome[]> {
  if (p.acks.length === 0) return [];
  const rows = await s.rows<JobRow>('job-complete-many', {
    ids: p.acks.map((item) => item.id),
    tokens: p.acks.map((item) => item.token),
    results: p.acks.map((item) => (item.result === null ? null : JSON.stringify(item.result))),
    now: p.now,
  });
  const completed = new Map<string, Job>(rows.map((row) => [row.id, rowToJob(row)]));
  const outcomes: SettleOutcome[] = [];
  for (const item of p.acks) {
    const job = completed.get(item.id);
    completed.delete(item.id);
    if (job !== undefined) outcomes.push({ ok: true, job });
    else outcomes.push(await jobAck(s, { ...item, now: p.now }).then(settled, refused));
  }
  return outcomes;
}

const settled = (job: Job): SettleOutcome => ({ ok: true, job });
const refused = (err: unknown): SettleOutcome => ({
  ok: false,
  error: err instanceof Error ? err : new Error(String(err)),
});
