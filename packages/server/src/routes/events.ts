/**
 * The event stream, `GET /v1/queues/{queue}/events` (SSE): a queue's lifecycle events as they
 * happen, resumable with `Last-Event-ID` (or `?lastEventId=`) within the queue's event log.
 * A resume from an id the log no longer covers starts with a `missed` event, then replays
 * everything the log holds. Shutdown ends every stream with a `closing` event.
 */
import type { FastifyInstance } from 'fastify';
import { watchRevocation } from '../auth/revocation-watch.ts';
import { QueueParams, errorResponses } from '../schemas/common.ts';
import { EventStreamReply, EventsQuery } from '../schemas/streams.ts';
import type { ServerLimits } from '../limits.ts';
import { EventLogs } from '../streaming/event-logs.ts';
import { SseConnection } from '../streaming/sse-connection.ts';
import type { StreamLimits } from '../streaming/stream-limits.ts';
import { streamMetrics, type StreamMetrics } from '../streaming/stream-metrics.ts';
import { registerRoutes } from './register.ts';
import { defineRoute, type Route, type RouteContext } from './route.ts';

function eventsRoute(logs: EventLogs, limits: StreamLimits, metrics: StreamMetrics): Route {
  return defineRoute({
    method: 'GET',
    url: '/v1/queues/:queue/events',
    body: 'none',
    access: { scope: 'queue', action: 'read' },
    schema: {
      operationId: 'queueEvents',
      summary: "stream a queue's lifecycle events (server-sent events), resumable with Last-Event-ID",
      description:
        'Event types: enqueued, promoted, leased, completed, nacked, retrying, reaped, dead, expired; `data` is a ' +
        'job summary without payload or result. Resuming from an id older than the last 1 000 events of the ' +
        'queue (or from before a restart) starts with a `missed` event. See docs/streams.md.',
      tags: ['queues'],
      params: QueueParams,
      querystring: EventsQuery,
      response: { 200: EventStreamReply, ...errorResponses() },
    },
    async handler(request, reply, { lifecycle, authenticator }) {
      // HEAD (fastify serves it with this handler): the stream's head, no stream.
      if (request.method === 'HEAD') {
        return reply.code(200).type('text/event-stream; charset=utf-8').header('cache-control', 'no-cache').send();
      }
      const header = request.headers['last-event-id'];
      const lastEventId =
        typeof header === 'string' && header !== '' ? header.slice(0, 100) : request.query.lastEventId;
      // Subscribing, the head and the replay happen in one synchronous run: no event can slip
      // between the replay and the live events.
      const subscription = logs.subscribe(request.params.queue, lastEventId, (event) => {
        connection.write(event.frame);
      });
      void reply.hijack();
      let detach = (): void => undefined;
      const queues = [request.params.queue];
      metrics.opened(queues);
      const stopWatch = watchRevocation(authenticator, request.principal, () => connection.end('revoked'));
      const connection = new SseConnection(reply.raw, limits, (reason) => {
        stopWatch();
        subscription.unsubscribe();
        metrics.closed(queues);
        if (reason === 'slow-consumer') metrics.slowConsumer();
        detach();
        if (reason !== null) request.log.info({ reason }, 'event stream closed by the server');
      });
      const { missed, events } = subscription.resumption;
      if (missed) connection.write(`event: missed\ndata: ${JSON.stringify({ lastEventId })}\n\n`);
      for (const event of events) connection.write(event.frame);
      if (!connection.ended) detach = lifecycle.closing.on(() => connection.end('shutdown'));
      return reply;
    },
  });
}

export function registerEventStream(
  app: FastifyInstance,
  ctx: RouteContext,
  serverLimits: ServerLimits,
  limits: StreamLimits,
): void {
  const logs = new EventLogs(ctx.engine.events, limits);
  registerRoutes(app, [eventsRoute(logs, limits, streamMetrics(ctx.metrics.registry))], ctx, serverLimits);
  app.addHook('onClose', (_instance, done) => {
    logs.close();
    done();
  });
}
