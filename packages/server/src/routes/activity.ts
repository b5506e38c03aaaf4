/**
 * The activity stream, `GET /v1/stats/activity` (SSE): once a second, an `activity` event whose
 * data is `{at, queues}`, the queues that had job events in that second on this server
 * (stats/activity-feed.ts). The dashboard refreshes a queue's page from it, so an open page costs
 * the server one frame a second, not one per job. Shutdown ends every stream with `closing`.
 */
import type { FastifyInstance } from 'fastify';
import { watchRevocation } from '../auth/revocation-watch.ts';
import { errorResponses } from '../schemas/common.ts';
import { EventStreamReply } from '../schemas/streams.ts';
import type { ServerLimits } from '../limits.ts';
import { ActivityFeed } from '../stats/activity-feed.ts';
import { SseConnection } from '../streaming/sse-connection.ts';
import type { StreamLimits } from '../streaming/stream-limits.ts';
import { registerRoutes } from './register.ts';
import { defineRoute, type Route, type RouteContext } from './route.ts';

function activityRoute(feed: ActivityFeed, limits: StreamLimits): Route {
  return defineRoute({
    method: 'GET',
    url: '/v1/stats/activity',
    body: 'none',
    access: { scope: 'every-queue', action: 'read' },
    schema: {
      operationId: 'statsActivity',
      summary: 'stream, once a second, which queues had job events on this server (server-sent events)',
      description:
        'Each second an `activity` event with data `{at, queues}`: the names of the queues with any enqueue, ' +
        'lease, ack or failure on this server in that second (empty when none). One frame a second whatever the ' +
        'job rate: a cheap trigger to re-read counts and lists.',
      tags: ['operations'],
      response: { 200: EventStreamReply, ...errorResponses() },
    },
    async handler(request, reply, { lifecycle, authenticator }) {
      if (request.method === 'HEAD') {
        return reply.code(200).type('text/event-stream; charset=utf-8').header('cache-control', 'no-cache').send();
      }
      void reply.hijack();
      let detach = (): void => undefined;
      const stopWatch = watchRevocation(authenticator, request.principal, () => connection.end('revoked'));
      const unsubscribe = feed.subscribe((frame) => {
        connection.write(`event: activity\ndata: ${JSON.stringify(frame)}\n\n`);
      });
      const connection = new SseConnection(reply.raw, limits, (reason) => {
        stopWatch();
        unsubscribe();
        detach();
        if (reason !== null) request.log.info({ reason }, 'activity stream closed by the server');
      });
      if (!connection.ended) detach = lifecycle.closing.on(() => connection.end('shutdown'));
      return reply;
    },
  });
}

export function registerActivityStream(
  app: FastifyInstance,
  ctx: RouteContext,
  serverLimits: ServerLimits,
  limits: StreamLimits,
): void {
  const feed = new ActivityFeed(ctx.throughput);
  registerRoutes(app, [activityRoute(feed, limits)], ctx, serverLimits);
  app.addHook('onClose', (_instance, done) => {
    feed.close();
    done();
  });
}
