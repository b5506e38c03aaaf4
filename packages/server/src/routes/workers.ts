/** Worker registry routes: consumers identify themselves; operators list them. */
import { Type } from '@sinclair/typebox';
import { PageQuery, errorResponses } from '../schemas/common.ts';
import { HeartbeatBody, WorkerPage, WorkerParams } from '../schemas/workers.ts';
import { defineRoute } from './route.ts';

const tags = ['workers'];

const listWorkers = defineRoute({
  method: 'GET',
  url: '/v1/workers',
  body: 'none',
  access: { scope: 'every-queue', action: 'read' },
  schema: {
    operationId: 'listWorkers',
    summary: 'the worker registry: started, last seen, processed, failed, active',
    tags,
    querystring: PageQuery,
    response: { 200: WorkerPage, ...errorResponses() },
  },
  async handler(request, _reply, { engine }) {
    return engine.listWorkers(request.query);
  },
});

const heartbeat = defineRoute({
  method: 'POST',
  url: '/v1/workers/:id/heartbeat',
  body: 'json',
  access: { scope: 'body-queues', action: 'consume' },
  schema: {
    operationId: 'workerHeartbeat',
    summary: 'a worker says it is alive and which queues it consumes',
    tags,
    params: WorkerParams,
    body: HeartbeatBody,
    response: { 204: Type.Null({ description: 'recorded' }), ...errorResponses(507) },
  },
  async handler(request, reply, { engine }) {
    await engine.workerSeen(request.params.id, request.body.queues);
    return reply.code(204).send();
  },
});

export const workerRoutes = [listWorkers, heartbeat];
