/**
 * enqueue: validate, resolve defaults, insert atomically, then wake consumers or the promoter.
 * `enqueueJobs` takes one queue's batch, all or nothing; `enqueueEach` takes items for any
 * queues, each succeeding or failing on its own (a coalesced batch of independent callers): an
 * item that fails validation gets its own error and the valid items of each queue go to the
 * store as one insert, in item order, so one producer's jobs keep their order.
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
import type { EnqueueEachItem, EnqueueInput, EnqueueOutcome } from '../engine-api.ts';
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
  return insertJobs(core, queue, jobs, now);
}

/** One queue's valid items of an enqueueEach call: their positions and their options. */
interface QueueGroup {
  readonly indexes: number[];
  readonly inputs: EnqueueInput[];
  readonly options: ReturnType<typeof assertEnqueueInput>[];
}

export async function enqueueEach(core: EngineCore, items: readonly EnqueueEachItem[]): Promise<EnqueueOutcome[]> {
  const count: unknown = Array.isArray(items) ? items.length : undefined;
  if (typeof count !== 'number' || count === 0 || count > limits.MAX_BATCH_SIZE) {
    throw new InvalidArgumentError(`a batch holds 1 to ${limits.MAX_BATCH_SIZE} items`, { field: 'items' });
  }
  const outcomes: EnqueueOutcome[] = new Array<EnqueueOutcome>(items.length);
  const groups = new Map<string, QueueGroup>();
  items.forEach((item, i) => {
    try {
      assertQueueName(item.queue);
      const options = assertEnqueueInput(item.input);
      let group = groups.get(item.queue);
      if (group === undefined) {
        group = { indexes: [], inputs: [], options: [] };
        groups.set(item.queue, group);
      }
      group.indexes.push(i);
      group.inputs.push(item.input);
      group.options.push(options);
    } catch (error) {
      outcomes[i] = { ok: false, error: error instanceof Error ? error : new Error(String(error)) };
    }
  });
  await Promise.all(
    [...groups].map(async ([queue, group]) => {
      try {
        const config = await core.configs.get(queue);
        const now = core.clock.now();
        const jobs = group.inputs.map((input, k) =>
          resolveJob({
            queue,
            data: input.data,
            options: group.options[k] ?? {},
            config,
            now,
            generatedId: core.ids(now),
          }),
        );
        const results = await insertJobs(core, queue, jobs, now);
        group.indexes.forEach((index, k) => {
          const result = results[k];
          outcomes[index] =
            result === undefined
              ? { ok: false, error: new Error('the store answered fewer results than jobs') }
              : { ok: true, job: result.job, created: result.created };
        });
      } catch (error) {
        const failure = error instanceof Error ? error : new Error(String(error));
        for (const index of group.indexes) outcomes[index] = { ok: false, error: failure };
      }
    }),
  );
  return outcomes;
}

/** Inserts one queue's resolved jobs in one store call, then wakes and announces. */
async function insertJobs(core: EngineCore, queue: string, jobs: NewJob[], now: number): Promise<EnqueueResult[]> {
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
