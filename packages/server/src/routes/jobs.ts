/**
 * Job routes: enqueue (one job, a batch, or raw bytes), read (optionally waiting for the end),
 * read the attempt history,
 * cancel, promote, retry and delete. Each handler calls one engine method and shapes the reply.
 */
import type { Static } from '@sinclair/typebox';
import { Type } from '@sinclair/typebox';
import { InvalidArgumentError, limits } from '@docket/protocol';
import { JobParams, QueueParams, errorResponses } from '../schemas/common.ts';
import { JobAttemptsReply } from '../schemas/entities.ts';
import {
  EnqueueBody,
  EnqueueBytesQuery,
  EnqueueEachBody,
  EnqueueEachReply,
  EnqueueReply,
  GetJobQuery,
  JobReply,
  type EnqueueJsonBody,
} from '../schemas/jobs.ts';
import { enqueueItems } from '../enqueue-items.ts';
import { requestSignal } from '../streaming/long-poll.ts';
import { enqueueInputFromBytes, enqueueInputFromJson, renderJob, renderJobs } from '../wire.ts';
import { defineRoute } from './route.ts';

const enqueue = defineRoute({
  method: 'POST',
  url: '/v1/queues/:queue/jobs',
  body: 'json-or-bytes',
  access: { scope: 'queue', action: 'produce' },
  hot: true,
  schema: {
    operationId: 'enqueue',
    summary: 'enqueue one job, a batch (atomically), or raw bytes as one job',
    description:
      'A JSON body is one job `{data, ...options}` or a batch `{jobs: [...]}`. Any other media type is one ' +
      'job whose payload is the raw bytes; its options then come from the query string. 201 when a job was ' +
      'created, 200 when an existing job was returned (same id, or same dedupKey within its window).',
    tags: ['jobs'],
    params: QueueParams,
    querystring: EnqueueBytesQuery,
    body: EnqueueBody,
    response: { 200: EnqueueReply, 201: EnqueueReply, ...errorResponses(429, 507) },
  },
  async handler(request, reply, { engine }) {
    const { queue } = request.params;
    const body = request.body;
    if (Buffer.isBuffer(body)) {
      const { job, created } = await engine.enqueue(queue, enqueueInputFromBytes(body, request.query));
      void reply.code(created ? 201 : 200);
      return { job: renderJob(job), created };
    }
    if (typeof body !== 'object' || body === null) {
      throw new InvalidArgumentError('missing body: expected a JSON job, a JSON batch, or raw bytes', { in: 'body' });
    }
    if (Object.keys(request.query).length > 0) {
      throw new InvalidArgumentError('invalid querystring: options of a JSON body go in the body', {
        in: 'querystring',
      });
    }
    const json = body as Static<typeof EnqueueJsonBody>;
    if ('jobs' in json) {
      const results = await engine.enqueueMany(
        queue,
        json.jobs.map((job, index) => enqueueInputFromJson(job, { list: 'jobs', index })),
      );
      const created = results.map((result) => result.created);
      void reply.code(created.includes(true) ? 201 : 200);
      return { jobs: renderJobs(results.map((result) => result.job)), created };
    }
    const { job, created } = await engine.enqueue(queue, enqueueInputFromJson(json));
    void reply.code(created ? 201 : 200);
    return { job: renderJob(job), created };
  },
});

const enqueueEach = defineRoute({
  method: 'POST',
  url: '/v1/jobs',
  body: 'batch',
  hot: true,
  access: { scope: 'item-queues', action: 'produce' },
  schema: {
    operationId: 'enqueueEach',
    summary: 'enqueue jobs into any queues, each item succeeding or failing on its own',
    description:
      'Each item is a job as in `enqueue` plus its `queue`. The answer is 200 with one result per item, in ' +
      'request order: `{job, created}`, or `{error}` (with `details.index`) for an item that was refused and ' +
      'changed nothing. The valid items of one queue are inserted together, in item order. The SDK sends the ' +
      'enqueues its callers make within one event-loop turn as one such request.',
    tags: ['jobs'],
    body: EnqueueEachBody,
    response: { 200: EnqueueEachReply, ...errorResponses(507) },
  },
  async handler(request, _reply, { engine }) {
    return { results: await enqueueItems(engine, request.body.items, request.log) };
  },
});

const getJob = defineRoute({
  method: 'GET',
  url: '/v1/jobs/:id',
  body: 'none',
  access: { scope: 'job', action: 'read' },
  schema: {
    operationId: 'getJob',
    summary: 'read a job; with waitMs, wait for it to complete or die first (enqueue-and-wait)',
    description:
      'With `waitMs`, answers as soon as the job is completed or dead, or when `waitMs` passes, with the job ' +
      'as it is then: check `state`.',
    tags: ['jobs'],
    params: JobParams,
    querystring: GetJobQuery,
    response: { 200: JobReply, ...errorResponses(404) },
  },
  async handler(request, reply, { engine, lifecycle }) {
    const { id } = request.params;
    const { waitMs } = request.query;
    if (waitMs === undefined || waitMs === 0) return { job: renderJob(await engine.get(id)) };
    const { signal, release } = requestSignal(request, reply, lifecycle.closing);
    try {
      return { job: renderJob(await engine.waitFor(id, { waitMs, signal })) };
    } finally {
      release();
    }
  },
});

const getJobAttempts = defineRoute({
  method: 'GET',
  url: '/v1/jobs/:id/attempts',
  body: 'none',
  access: { scope: 'job', action: 'read' },
  schema: {
    operationId: 'getJobAttempts',
    summary: "a job's attempts that ended without success (failed, lease expired, released), with errors and stacks",
    description:
      `Oldest first, the latest ${limits.MAX_ATTEMPT_HISTORY} (\`dropped\` counts older ones). ` +
      'Kept through redrive and retry, removed with ' +
      "the job. The running attempt, or the one that completed the job, is described by the job's own fields.",
    tags: ['jobs'],
    params: JobParams,
    response: { 200: JobAttemptsReply, ...errorResponses(404) },
  },
  async handler(request, _reply, { engine }) {
    return engine.attempts(request.params.id);
  },
});

const cancelJob = defineRoute({
  method: 'POST',
  url: '/v1/jobs/:id/cancel',
  body: 'none',
  access: { scope: 'job', action: 'admin' },
  schema: {
    operationId: 'cancelJob',
    summary: 'cancel a job: it becomes dead (reason cancelled) and stays readable until retention',
    tags: ['jobs'],
    params: JobParams,
    response: { 200: JobReply, ...errorResponses(404, 409, 507) },
  },
  async handler(request, _reply, { engine }) {
    return { job: renderJob(await engine.cancel(request.params.id)) };
  },
});

const promoteJob = defineRoute({
  method: 'POST',
  url: '/v1/jobs/:id/promote',
  access: { scope: 'job', action: 'admin' },
  body: 'none',
  schema: {
    operationId: 'promoteJob',
    summary: 'make a delayed job waiting now (its ready time becomes now); 400 for a job in another state',
    tags: ['jobs'],
    params: JobParams,
    response: { 200: JobReply, ...errorResponses(404, 507) },
  },
  async handler(request, _reply, { engine }) {
    return { job: renderJob(await engine.promote(request.params.id)) };
  },
});

const retryJob = defineRoute({
  method: 'POST',
  url: '/v1/jobs/:id/retry',
  access: { scope: 'job', action: 'admin' },
  body: 'none',
  schema: {
    operationId: 'retryJob',
    summary: 'move one dead job back to waiting, as redrive does (attempts reset); 400 for a job in another state',
    tags: ['jobs'],
    params: JobParams,
    response: { 200: JobReply, ...errorResponses(404, 507) },
  },
  async handler(request, _reply, { engine }) {
    return { job: renderJob(await engine.retry(request.params.id)) };
  },
});

const deleteJob = defineRoute({
  method: 'DELETE',
  url: '/v1/jobs/:id',
  body: 'none',
  access: { scope: 'job', action: 'admin' },
  schema: {
    operationId: 'deleteJob',
    summary: 'delete a job in any state; to stop it but keep it, cancel it',
    tags: ['jobs'],
    params: JobParams,
    response: { 204: Type.Null({ description: 'deleted' }), ...errorResponses(404, 507) },
  },
  async handler(request, reply, { engine }) {
    await engine.delete(request.params.id);
    return reply.code(204).send();
  },
});

export const jobRoutes = [enqueue, enqueueEach, getJob, getJobAttempts, cancelJob, promoteJob, retryJob, deleteJob];
