/** enqueue: validate, resolve defaults, insert atomically, then wake consumers or the promoter. */
import { InvalidArgumentError, limits } from '@docket/protocol';
import type { EngineCore } from '../engine-core.ts';
import type { EnqueueInput } from '../engine-api.ts';
import { resolveJob } from '../resolve-job.ts';
import type { EnqueueResult } from '../store.ts';
import { assertEnqueueInput, assertQueueName } from '../validate.ts';

export async function enqueueJobs(
  core: EngineCore,
  queue: string,
  inputs: readonly EnqueueInput[],
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
      if (inputs.length === 1 || !(err instanceof InvalidArgumentError)) throw err;
      throw new InvalidArgumentError(`job ${i}: ${err.message}`, { ...err.details, index: i }, { cause: err });
    }
  });
  const config = await core.configs.get(queue);
  const now = core.clock.now();
  const jobs = inputs.map((input, i) =>
    resolveJob({ queue, data: input.data, options: optionsList[i] ?? {}, config, now, generatedId: core.ids(now) }),
  );
  const results = await core.store.jobEnqueueMany({ jobs, now });
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
  if (ready > 0) core.ctx.wake(queue, ready);
  return results;
}
