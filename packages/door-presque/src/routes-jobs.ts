/**
 * presque's job endpoints, `/q/<queue>` and `/qb/<queue>`, over engine operations:
 * insert = enqueue (`?delayed=` → runAt, `?uniq=` → dedupKey), re-queue after a failure =
 * countFailures then insert, fetch = lease then ack at once (presque's pop is destructive; the
 * reply goes out only after the ack committed), purge = purge of every state but active (which
 * resets the queue's totals, presque's counters), and a stopped queue is a paused one.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { limits, type JsonValue, type LeasedJob } from '@docket/protocol';
import type { Engine, EnqueueInput } from '@docket/core';
import { type DoorContext, allWorkers, statsOf } from '@docket/server/door-support';
import { PresqueError } from './errors.ts';
import { batchSizeOf, headerWorkerOf, jobBody, queueOf, runAtOf, uniqOf } from './params.ts';
import { bodyOf, payloadOf } from './payload.ts';
import { sendBody, sendEmpty, sendJson } from './render.ts';

export type PresqueHandler = (
  rest: string,
  request: FastifyRequest,
  reply: FastifyReply,
  ctx: DoorContext,
) => Promise<FastifyReply>;

/**
 * A `uniq` holds as long as the engine allows: while the job is queued, as presque, and after
 * its fetch until the completed job leaves retention (docs/doors/presque.md).
 */
const UNIQ_WINDOW_MS = limits.MAX_DELAY_MS;

function jobInput(request: FastifyRequest, data: JsonValue | Uint8Array, uniq: boolean): EnqueueInput {
  const runAt = runAtOf(request);
  const key = uniq ? uniqOf(request) : undefined;
  return {
    data,
    ...(runAt === undefined ? {} : { runAt }),
    ...(key === undefined ? {} : { dedupKey: key, dedupWindowMs: UNIQ_WINDOW_MS }),
  };
}

async function insertJob(engine: Engine, queue: string, input: EnqueueInput): Promise<void> {
  const { created } = await engine.enqueue(queue, input);
  if (!created) throw new PresqueError('job already exists');
}

/** POST `/q/`: a new job. */
export const insert: PresqueHandler = async (rest, request, reply, { engine }) => {
  const queue = queueOf(rest);
  const input = jobInput(request, payloadOf(jobBody(request)), true);
  await insertJob(engine, queue, input);
  return sendEmpty(reply, 201);
};

/**
 * PUT `/q/`: presque's "the worker failed, queue this job again". Once the request is known to be
 * valid, the failure counts in the queue's failed total (presque's `failed[q] += 1`), then the job
 * is inserted as by POST (a `uniq` already queued is refused after the count, as in presque).
 */
export const requeue: PresqueHandler = async (rest, request, reply, { engine }) => {
  const queue = queueOf(rest);
  const input = jobInput(request, payloadOf(jobBody(request)), true);
  await engine.countFailures(queue);
  await insertJob(engine, queue, input);
  return sendEmpty(reply, 201);
};

/**
 * The worker a fetch counts for: the `X-presque-workerid` header's, when that worker is registered
 * on the queue. A lease names its worker in the engine's registry, and presque never registers a
 * worker by its fetches, so an unregistered worker's fetch leases anonymously.
 */
async function countingWorker(request: FastifyRequest, engine: Engine, queue: string): Promise<string | undefined> {
  const worker = headerWorkerOf(request);
  if (worker === undefined) return undefined;
  const registered = (await allWorkers(engine)).some((info) => info.id === worker && info.queues.includes(queue));
  return registered ? worker : undefined;
}

/** Leases up to `max` jobs and acks them before answering; 404 when none (closed or empty). */
async function fetchJobs(request: FastifyRequest, ctx: DoorContext, queue: string, max: number): Promise<LeasedJob[]> {
  const worker = await countingWorker(request, ctx.engine, queue);
  const jobs = await ctx.engine.lease({ queues: [queue], max, ...(worker === undefined ? {} : { worker }) });
  if (jobs.length === 0) {
    const stats = await statsOf(ctx.engine, queue);
    throw new PresqueError(stats?.paused === true ? 'queue is closed' : 'no job', 404);
  }
  const outcomes = await ctx.engine.ackMany(jobs.map((job) => ({ id: job.id, token: job.leaseToken })));
  for (const outcome of outcomes) if (!outcome.ok) throw outcome.error;
  return jobs;
}

export const fetchOne: PresqueHandler = async (rest, request, reply, ctx) => {
  const [job] = await fetchJobs(request, ctx, queueOf(rest), 1);
  if (job === undefined) throw new PresqueError('no job', 404);
  return sendBody(reply, bodyOf(job));
};

/**
 * DELETE `/q/`: the queue's jobs go, and with its completed and dead jobs its totals (presque's
 * counters); jobs a consumer holds now are left to finish.
 */
export const purge: PresqueHandler = async (rest, _request, reply, { engine }) => {
  await engine.purge(queueOf(rest), { states: ['waiting', 'delayed', 'completed', 'dead'] });
  return sendEmpty(reply, 204);
};

export const fetchBatch: PresqueHandler = async (rest, request, reply, ctx) => {
  const queue = queueOf(rest);
  const jobs = await fetchJobs(request, ctx, queue, batchSizeOf(request));
  return sendJson(
    reply,
    200,
    jobs.map((job) => bodyOf(job).toString('utf8')),
  );
};

function batchJobs(body: Buffer): JsonValue[] {
  let value: unknown;
  try {
    value = JSON.parse(body.toString('utf8'));
  } catch {
    throw new PresqueError('body is not valid JSON: expected {"jobs": [ ... ]}');
  }
  const jobs: unknown = typeof value === 'object' && value !== null ? (value as { jobs?: unknown }).jobs : undefined;
  if (!Array.isArray(jobs)) throw new PresqueError('jobs should be an array of job');
  return jobs as JsonValue[];
}

/** POST `/qb/`: each element is a job of its own (`delayed` applies to all; `uniq` does not). */
export const insertBatch: PresqueHandler = async (rest, request, reply, { engine }) => {
  const queue = queueOf(rest);
  const jobs = batchJobs(jobBody(request));
  if (jobs.length > 0)
    await engine.enqueueMany(
      queue,
      jobs.map((data) => jobInput(request, data, false)),
    );
  return sendEmpty(reply, 201);
};

function unsupportedInBatch(method: string): PresqueHandler {
  return (rest) => {
    queueOf(rest);
    return Promise.reject(new PresqueError(`${method} is not supported in batch mode`));
  };
}

export const putBatch = unsupportedInBatch('PUT');
export const deleteBatch = unsupportedInBatch('DELETE');
