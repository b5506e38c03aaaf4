/**
 * Consumer routes: lease (long-poll over one or several queues), then ack, nack or extend with
 * the lease token, one job at a time or in batches with per-item results.
 */
import { eachItem, fromOutcomes } from '../batch-results.ts';
import { JobParams, errorResponses } from '../schemas/common.ts';
import {
  AckBatchBody,
  AckBody,
  BatchReply,
  ExtendBatchBody,
  ExtendBody,
  JobReply,
  NackBatchBody,
  NackBody,
} from '../schemas/jobs.ts';
import { LeaseBody, LeaseReply } from '../schemas/lease.ts';
import { requestSignal } from '../streaming/long-poll.ts';
import { ackOptions, extendOptions, nackOptions, renderJob, renderJobs } from '../wire.ts';
import { defineRoute } from './route.ts';

const lease = defineRoute({
  method: 'POST',
  url: '/v1/lease',
  body: 'json',
  access: { scope: 'body-queues', action: 'consume' },
  hot: true,
  schema: {
    operationId: 'lease',
    summary: 'lease up to max ready jobs from one or several queues, waiting up to waitMs for one',
    description:
      'Answers as soon as at least one job is leased, or with an empty list when `waitMs` passes. A client ' +
      'that disconnects while waiting leases nothing.',
    tags: ['consumers'],
    body: LeaseBody,
    response: { 200: LeaseReply, ...errorResponses(507) },
  },
  async handler(request, reply, { engine, lifecycle }) {
    const { signal, release } = requestSignal(request, reply, lifecycle.closing);
    try {
      return { jobs: renderJobs(await engine.lease({ ...request.body, signal })) };
    } finally {
      release();
    }
  },
});

const SETTLE_ERRORS = errorResponses(404, 409, 507);

const ack = defineRoute({
  method: 'POST',
  url: '/v1/jobs/:id/ack',
  body: 'json',
  access: { scope: 'job', action: 'consume' },
  hot: true,
  schema: {
    operationId: 'ack',
    summary: 'finish a leased job, optionally with a result',
    tags: ['consumers'],
    params: JobParams,
    body: AckBody,
    response: { 200: JobReply, ...SETTLE_ERRORS },
  },
  async handler(request, _reply, { engine }) {
    return { job: renderJob(await engine.ack(request.params.id, ackOptions(request.body))) };
  },
});

const nack = defineRoute({
  method: 'POST',
  url: '/v1/jobs/:id/nack',
  body: 'json',
  access: { scope: 'job', action: 'consume' },
  hot: true,
  schema: {
    operationId: 'nack',
    summary: 'give a leased job back: to the front, the back, after delayMs, or as a failed attempt',
    description:
      'With `placement` (front, back, delay) the job goes back by choice and it is not a failure. Without it ' +
      '(or with `fail: true`) it is a failed attempt, retried after backoff until maxAttempts; `retry: false` ' +
      'makes it dead at once (reason rejected).',
    tags: ['consumers'],
    params: JobParams,
    body: NackBody,
    response: { 200: JobReply, ...SETTLE_ERRORS },
  },
  async handler(request, _reply, { engine }) {
    return { job: renderJob(await engine.nack(request.params.id, nackOptions(request.body))) };
  },
});

const extend = defineRoute({
  method: 'POST',
  url: '/v1/jobs/:id/extend',
  body: 'json',
  access: { scope: 'job', action: 'consume' },
  hot: true,
  schema: {
    operationId: 'extend',
    summary: 'extend a lease to leaseMs from now (default: the job leaseMs)',
    tags: ['consumers'],
    params: JobParams,
    body: ExtendBody,
    response: { 200: JobReply, ...SETTLE_ERRORS },
  },
  async handler(request, _reply, { engine }) {
    return { job: renderJob(await engine.extend(request.params.id, extendOptions(request.body))) };
  },
});

const BATCH_DESCRIPTION =
  'Each item succeeds or fails on its own: the answer is 200 with one result per item, in request order, ' +
  'holding the job or the error (same codes as the single form).';

const ackBatch = defineRoute({
  method: 'POST',
  url: '/v1/jobs/ack',
  body: 'batch',
  access: { scope: 'items', action: 'consume' },
  hot: true,
  schema: {
    operationId: 'ackBatch',
    summary: 'ack many leased jobs',
    description: BATCH_DESCRIPTION,
    tags: ['consumers'],
    body: AckBatchBody,
    response: { 200: BatchReply, ...errorResponses(507) },
  },
  async handler(request, _reply, { engine }) {
    const { items } = request.body;
    const outcomes = await engine.ackMany(items.map(({ id, ...item }) => ({ id, ...ackOptions(item) })));
    return { results: fromOutcomes(items, outcomes, request.log) };
  },
});

const nackBatch = defineRoute({
  method: 'POST',
  url: '/v1/jobs/nack',
  body: 'batch',
  access: { scope: 'items', action: 'consume' },
  hot: true,
  schema: {
    operationId: 'nackBatch',
    summary: 'nack many leased jobs',
    description: BATCH_DESCRIPTION,
    tags: ['consumers'],
    body: NackBatchBody,
    response: { 200: BatchReply, ...errorResponses(507) },
  },
  async handler(request, _reply, { engine }) {
    const { items } = request.body;
    const outcomes = await engine.nackMany(items.map(({ id, ...item }) => ({ id, ...nackOptions(item) })));
    return { results: fromOutcomes(items, outcomes, request.log) };
  },
});

const extendBatch = defineRoute({
  method: 'POST',
  url: '/v1/jobs/extend',
  body: 'batch',
  access: { scope: 'items', action: 'consume' },
  hot: true,
  schema: {
    operationId: 'extendBatch',
    summary: 'extend many leases',
    description: BATCH_DESCRIPTION,
    tags: ['consumers'],
    body: ExtendBatchBody,
    response: { 200: BatchReply, ...errorResponses(507) },
  },
  async handler(request, _reply, { engine }) {
    const results = await eachItem(
      request.body.items,
      ({ id, ...item }) => engine.extend(id, extendOptions(item)),
      request.log,
    );
    return { results };
  },
});

export const leaseRoutes = [lease, ack, nack, extend, ackBatch, nackBatch, extendBatch];
