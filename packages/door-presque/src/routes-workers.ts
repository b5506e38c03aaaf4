/**
 * presque's worker registry, `/w/`, over the engine's: a worker is registered on a queue when the
 * queue is among the queues `workerSeen` recorded for it, so registering adds the queue to its
 * list and unregistering takes it out; a worker with no queue left is no longer listed. Its
 * statistics come from `listWorkers`: `processed` counts the jobs it fetched (presque's fetch
 * acks at once), `failed` its failed attempts.
 */
import type { WorkerInfo } from '@docket/protocol';
import type { Engine } from '@docket/core';
import { allWorkers, statsOf } from '@docket/server/door-support';
import { PresqueError } from './errors.ts';
import { queryOf, queueOf, registeringWorkerOf } from './params.ts';
import { countOrNull, sendEmpty, sendJson } from './render.ts';
import type { PresqueHandler } from './routes-jobs.ts';

function workerStats(worker: WorkerInfo): Record<string, unknown> {
  return {
    worker_id: worker.id,
    started_at: Math.floor(worker.startedAt / 1000),
    processed: String(worker.processed),
    failed: String(worker.failed),
  };
}

/**
 * GET `/w/` (any path suffix ignored): `?queue_name=` gives a queue's workers and its totals,
 * `?worker_id=` one worker's statistics (as presque's documentation describes them), nothing the
 * ids of every worker. `queue_name` wins over `worker_id`.
 */
export const workers: PresqueHandler = async (_rest, request, reply, { engine }) => {
  const queueName = queryOf(request, 'queue_name');
  const workerId = queryOf(request, 'worker_id');
  const all = (await allWorkers(engine)).filter((worker) => worker.queues.length > 0);
  if (queueName !== undefined && queueName !== '') {
    const queue = queueOf(queueName);
    const totals = (await statsOf(engine, queue))?.totals;
    return sendJson(reply, 200, {
      queue_name: queue,
      workers_list: all.filter((worker) => worker.queues.includes(queue)).map((worker) => worker.id),
      processed: countOrNull(totals?.completed ?? 0),
      failed: countOrNull(totals?.failed ?? 0),
    });
  }
  if (workerId !== undefined && workerId !== '') {
    const worker = all.find((candidate) => candidate.id === workerId);
    if (worker === undefined) throw new PresqueError(`worker ${workerId} is not registered`, 404);
    return sendJson(reply, 200, workerStats(worker));
  }
  return sendJson(
    reply,
    200,
    all.map((worker) => worker.id),
  );
};

async function queuesOf(engine: Engine, id: string): Promise<readonly string[]> {
  return (await allWorkers(engine)).find((worker) => worker.id === id)?.queues ?? [];
}

/** POST `/w/<queue>`: the queue joins the worker's queues. */
export const register: PresqueHandler = async (rest, request, reply, { engine }) => {
  const queue = queueOf(rest);
  const id = registeringWorkerOf(request);
  const queues = await queuesOf(engine, id);
  await engine.workerSeen(id, queues.includes(queue) ? queues : [...queues, queue]);
  return sendEmpty(reply, 201);
};

/** DELETE `/w/<queue>`: the queue leaves the worker's queues (its counters stay: docs/doors/presque.md). */
export const unregister: PresqueHandler = async (rest, request, reply, { engine }) => {
  const queue = queueOf(rest);
  const id = registeringWorkerOf(request);
  const queues = await queuesOf(engine, id);
  if (queues.includes(queue))
    await engine.workerSeen(
      id,
      queues.filter((name) => name !== queue),
    );
  return sendEmpty(reply, 204);
};
