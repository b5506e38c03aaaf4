/**
 * enqueue: validate, resolve defaults, insert atomically, then wake consumers or the promoter.
 *
 * Consumers are woken after the insert committed, or, on a store with `orderedWrites`, this
 * engine's consumers are woken as soon as the insert is handed to the store: their leases are
 * then applied after it, in its commit (or a later one), so a waiting consumer gets the job after
 * one commit instead of two; other engines are still told after the commit. A wake for a job that
 * then is not created (deduplicated, or its batch failed) only costs the woken consumer a lease
 * that finds nothing, after which it waits again.
 */
import { InvalidArgumentError, PayloadTooLargeError, limits } from '@docket/protocol';
import type { EngineCore } from '../engine-core.ts';
import type { EnqueueInput } from '../engine-api.ts';
import { resolveJob } from '../resolve-job.ts';
import type { EnqueueResult, NewJob } from '../store.ts';
import { assertEnqueueInput, assertQueueName } from '../validate.ts';

/** A refusal of one job of a batch, naming its index (a batch of one included). */
function itemError(err: unknown, index: number): unknown {
  if (err instanceof InvalidArgumentError) {
    return new InvalidArgumentError(`job ${index}: ${err.message}`, { ...err.details, index }, { cause: err });
  }
  if (err instanceof PayloadTooLargeError) {
    return new PayloadTooLargeError(`job ${index}: ${err.message}`, { ...err.details, index, field: 'data' });
  }
  return err;
}

/** `batch`: the inputs came as a batch (enqueueMany), whose refusals name the bad job's index. */
export async function enqueueJobs(
  core: EngineCore,
  queue: string,
  inputs: readonly EnqueueInput[],
  batch: boolean,
): Promise<EnqueueResult[]> {
  assertQueueName(queue);
  const count: unknown = Array.isArray(inputs) ? inputs.length : undefined;
  if (typeof count !== 'number' || count === 0 || count > limits.MAX_BATCH_SIZE) {
    throw new InvalidArgumentError(`a batch holds 1 to ${limits.MAX_BATCH_SIZE} jobs`, { field: 'jobs' });
  }
  const optionsList = inputs.map((input, i) => {
    try {
      return assertEnqueueInput(input);
    } catch (err) {
      throw batch ? itemError(err, i) : err;
    }
  });
  const config = await core.configs.get(queue);
  const now = core.clock.now();
  const jobs = inputs.map((input, i) =>
    resolveJob({ queue, data: input.data, options: optionsList[i] ?? {}, config, now, generatedId: core.ids(now) }),
  );
  const inserted = core.store.jobEnqueueMany({ jobs, now });
  const wokenEarly = core.store.capabilities.orderedWrites ? waitingCount(jobs) : 0;
  if (wokenEarly > 0) core.waiters.wake(queue, wokenEarly);
  const results = await inserted;
  let ready = 0;
  for (const { job, created } of results) {
    if (!created) {
      core.events.emit('job:deduplicated', { job });
      continue;
    }
    core.events.emit('job:enqueued', { job });
    if (job.state === 'waiting') ready += 1;
    else if (job.state === 'delayed') core.services.delayed(job.runAt);
    if (job.expiresAt !== null) core.services.expiresAt(job.expiresAt);
  }
  if (ready > 0 && wokenEarly === 0) core.ctx.wake(queue, ready);
  else if (ready > 0 && core.store.capabilities.notify) core.store.notifyReady(queue, ready);
  return results;
}

/** How many of `jobs` go in as waiting (ready to lease) rather than delayed. */
function waitingCount(jobs: readonly NewJob[]): number {
  let count = 0;
  for (const job of jobs) if (job.state === 'waiting') count += 1;
  return count;
}
