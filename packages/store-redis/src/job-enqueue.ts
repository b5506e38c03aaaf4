/**
 * Enqueue: a batch of new jobs in one script call (job-enqueue.lua), all or nothing. Every payload
 * is encoded before the call, so a bad job refuses the batch before Redis sees any of it. Created
 * jobs are built from their input plus the seq and the time shift the script reports, so a large
 * payload does not travel back. A queue with `maxWaiting` or `maxBytes` is checked by the script before it
 * writes anything, so a refused batch (QueueFullError) leaves no trace.
 */
import { InternalError, QueueFullError } from '@docket/protocol';
import type { EnqueueResult, JobEnqueueManyParams } from '@docket/core';
import { createdJob, fieldsToJob, newJobArgs, toFields } from './job-fields.ts';
import { asArray, asNumber } from './replies.ts';
import { runTimed, type StoreContext } from './store-context.ts';

export async function jobEnqueueMany(ctx: StoreContext, p: JobEnqueueManyParams): Promise<EnqueueResult[]> {
  if (p.jobs.length === 0) return [];
  const args = [String(p.jobs.length), ...p.jobs.flatMap(newJobArgs)];
  const replies = asArray(await runTimed(ctx, 'job-enqueue', p.now, args));
  if (replies[0] === 'queue-full') {
    throw new QueueFullError(String(replies[1]), { [String(replies[2])]: asNumber(replies[3]) });
  }
  return p.jobs.map((job, i) => {
    const [created, first, second] = asArray(replies[i]);
    if (created === 1) return { job: createdJob(job, asNumber(first), asNumber(second)), created: true };
    if (created === 0) return { job: fieldsToJob(toFields(first)), created: false };
    throw new InternalError(`job-enqueue returned no result for job ${job.id}`);
  });
}
