/**
 * Queue routes: list with counts, stats, config, pause/resume, purge, redrive, delete, and
 * browsing a queue's jobs. Each handler calls one engine method and shapes the reply.
 */
import { Type } from '@sinclair/typebox';
import { PageQuery, QueueParams, errorResponses } from '../schemas/common.ts';
import {
  GroupStatsQuery,
  GroupStatsReply,
  JobPage,
  ListJobsQuery,
  PurgeBody,
  PurgeReply,
  QueueConfigBody,
  QueuePage,
  QueueReply,
  QueueStatsReply,
  RedriveBody,
  RedriveReply,
} from '../schemas/queues.ts';
import { renderJobs } from '../wire.ts';
import { allows } from '../auth/authorize.ts';
import { defineRoute } from './route.ts';
import { timeCount } from './server-timing.ts';

const tags = ['queues'];

const listQueues = defineRoute({
  method: 'GET',
  url: '/v1/queues',
  body: 'none',
  access: { scope: 'some-queue', action: 'read' },
  schema: {
    operationId: 'listQueues',
    summary: 'list queues with their counts by state and lifetime totals, a page at a time',
    tags,
    querystring: PageQuery,
    response: { 200: QueuePage, ...errorResponses() },
  },
  async handler(request, _reply, { engine }) {
    const page = await engine.listQueues(request.query);
    return { ...page, items: page.items.filter((queue) => allows(request.principal, 'read', queue.name)) };
  },
});

const getQueue = defineRoute({
  method: 'GET',
  url: '/v1/queues/:queue',
  body: 'none',
  access: { scope: 'queue', action: 'read' },
  schema: {
    operationId: 'getQueue',
    summary: 'a queue with its config, paused flag, counts by state and lifetime totals',
    tags,
    params: QueueParams,
    response: { 200: QueueStatsReply, ...errorResponses(404) },
  },
  async handler(request, reply, { engine }) {
    return { queue: await timeCount(reply, () => engine.stats(request.params.queue)) };
  },
});

const configureQueue = defineRoute({
  method: 'PUT',
  url: '/v1/queues/:queue',
  body: 'json-optional',
  access: { scope: 'queue', action: 'admin' },
  schema: {
    operationId: 'configureQueue',
    summary: 'create a queue or replace its config (defaults for its jobs, retention)',
    tags,
    params: QueueParams,
    body: QueueConfigBody,
    response: { 200: QueueReply, ...errorResponses(507) },
  },
  async handler(request, _reply, { engine }) {
    return { queue: await engine.configureQueue(request.params.queue, request.body) };
  },
});

const pauseQueue = defineRoute({
  method: 'POST',
  url: '/v1/queues/:queue/pause',
  body: 'none',
  access: { scope: 'queue', action: 'admin' },
  schema: {
    operationId: 'pauseQueue',
    summary: 'stop leasing from a queue (enqueue still works); an unknown queue is created paused',
    tags,
    params: QueueParams,
    response: { 200: QueueReply, ...errorResponses(507) },
  },
  async handler(request, _reply, { engine }) {
    return { queue: await engine.pause(request.params.queue) };
  },
});

const resumeQueue = defineRoute({
  method: 'POST',
  url: '/v1/queues/:queue/resume',
  body: 'none',
  access: { scope: 'queue', action: 'admin' },
  schema: {
    operationId: 'resumeQueue',
    summary: 'lease from a paused queue again',
    tags,
    params: QueueParams,
    response: { 200: QueueReply, ...errorResponses(507) },
  },
  async handler(request, _reply, { engine }) {
    return { queue: await engine.resume(request.params.queue) };
  },
});

const purgeQueue = defineRoute({
  method: 'POST',
  url: '/v1/queues/:queue/purge',
  body: 'json-optional',
  access: { scope: 'queue', action: 'admin' },
  schema: {
    operationId: 'purgeQueue',
    summary: 'delete the jobs of a queue: all, or those in the given states',
    tags,
    params: QueueParams,
    body: PurgeBody,
    response: { 200: PurgeReply, ...errorResponses(507) },
  },
  async handler(request, _reply, { engine }) {
    return { purged: await engine.purge(request.params.queue, request.body) };
  },
});

const redriveQueue = defineRoute({
  method: 'POST',
  url: '/v1/queues/:queue/redrive',
  body: 'json-optional',
  access: { scope: 'queue', action: 'admin' },
  schema: {
    operationId: 'redriveQueue',
    summary: 'move dead jobs (all, or of one reason) back to waiting',
    tags,
    params: QueueParams,
    body: RedriveBody,
    response: { 200: RedriveReply, ...errorResponses(507) },
  },
  async handler(request, _reply, { engine }) {
    return { redriven: await engine.redrive(request.params.queue, request.body) };
  },
});

const deleteQueue = defineRoute({
  method: 'DELETE',
  url: '/v1/queues/:queue',
  body: 'none',
  access: { scope: 'queue', action: 'admin' },
  schema: {
    operationId: 'deleteQueue',
    summary: 'delete a queue, its config and all its jobs',
    tags,
    params: QueueParams,
    response: { 204: Type.Null({ description: 'deleted' }), ...errorResponses(404, 507) },
  },
  async handler(request, reply, { engine }) {
    await engine.deleteQueue(request.params.queue);
    return reply.code(204).send();
  },
});

const listJobs = defineRoute({
  method: 'GET',
  url: '/v1/queues/:queue/jobs',
  body: 'none',
  access: { scope: 'queue', action: 'read' },
  schema: {
    operationId: 'listJobs',
    summary: 'browse the jobs of a queue, a page at a time; state=waiting peeks at what leases next',
    description: 'Without `state`, jobs of every state. Nothing is leased.',
    tags,
    params: QueueParams,
    querystring: ListJobsQuery,
    response: { 200: JobPage, ...errorResponses() },
  },
  async handler(request, _reply, { engine }) {
    const page = await engine.list(request.params.queue, request.query);
    return { items: renderJobs(page.items), cursor: page.cursor };
  },
});

const listGroups = defineRoute({
  method: 'GET',
  url: '/v1/queues/:queue/groups',
  body: 'none',
  access: { scope: 'queue', action: 'read' },
  schema: {
    operationId: 'listGroups',
    summary: 'the groups of a queue with the most waiting jobs (top groups by depth)',
    description:
      'Groups with waiting or held jobs, deepest first, at most `limit` (default 20). Reads the ' +
      "store's per-group counts, not the jobs: the cost grows with the queue's groups, not its jobs.",
    tags,
    params: QueueParams,
    querystring: GroupStatsQuery,
    response: { 200: GroupStatsReply, ...errorResponses(404) },
  },
  async handler(request, _reply, { engine }) {
    return { items: await engine.groupStats(request.params.queue, request.query) };
  },
});

export const queueRoutes = [
  listQueues,
  getQueue,
  configureQueue,
  pauseQueue,
  resumeQueue,
  purgeQueue,
  redriveQueue,
  deleteQueue,
  listJobs,
  listGroups,
];
