/**
 * The consumer stream, `GET /v1/stream` upgraded to a WebSocket: one ConsumerSession per
 * connection, WebSocket pings to find dead peers, and shutdown that tells every stream to
 * reconnect after giving its jobs back. Without an upgrade the route answers 400.
 *
 * Not in the route table: a WebSocket handler takes the socket, not a reply. The query string
 * is validated by the route schema before the upgrade, so a bad one gets a 400 answer.
 */
import websocket from '@fastify/websocket';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Static } from '@sinclair/typebox';
import type WebSocket from 'ws';
import { InvalidArgumentError, isQueueName } from '@docket/protocol';
import { authorize } from '../auth/authorize.ts';
import { watchRevocation } from '../auth/revocation-watch.ts';
import { errorResponses } from '../schemas/common.ts';
import { StreamQuery, SwitchingProtocols } from '../schemas/streams.ts';
import { createAckCoalescer } from '../streaming/ack-coalescer.ts';
import { onStreamSocketError } from '../streaming/socket-errors.ts';
import { tickCorkedSocket } from '../streaming/tick-corked-socket.ts';
import { ConsumerSession } from '../streaming/consumer-session.ts';
import { MAX_STREAM_MESSAGE_BYTES, type StreamLimits } from '../streaming/stream-limits.ts';
import { streamMetrics } from '../streaming/stream-metrics.ts';
import type { RouteContext } from './route.ts';

type StreamRequest = FastifyRequest<{ Querystring: Static<typeof StreamQuery> }>;

const MAX_QUEUES = 100;
const DEFAULT_PREFETCH = 10;

function queuesOf(text: string): string[] {
  const queues = [...new Set(text.split(','))];
  if (queues.length > MAX_QUEUES) {
    throw new InvalidArgumentError(`invalid queues: at most ${MAX_QUEUES} queues`, { field: 'queues' });
  }
  for (const queue of queues) {
    if (!isQueueName(queue)) {
      throw new InvalidArgumentError(`invalid queues: ${JSON.stringify(queue.slice(0, 200))} is not a queue name`, {
        field: 'queues',
      });
    }
  }
  return queues;
}

function keepAlive(socket: WebSocket, session: ConsumerSession, intervalMs: number): () => void {
  let answered = true;
  socket.on('pong', () => (answered = true));
  const timer = setInterval(() => {
    if (!answered) {
      void session.end('unresponsive');
      socket.terminate();
      return;
    }
    answered = false;
    socket.ping();
  }, intervalMs);
  return () => clearInterval(timer);
}

export function registerConsumerStream(app: FastifyInstance, ctx: RouteContext, limits: StreamLimits): void {
  const sessions = new Set<ConsumerSession>();
  const ack = createAckCoalescer(ctx.engine);
  const metrics = streamMetrics(ctx.metrics.registry);
  app.register(async (scope) => {
    await scope.register(websocket, {
      options: { maxPayload: MAX_STREAM_MESSAGE_BYTES },
      errorHandler: onStreamSocketError,
      preClose: async () => {
        await Promise.all([...sessions].map((session) => session.end('shutdown')));
      },
    });
    scope.route<{ Querystring: Static<typeof StreamQuery> }>({
      method: 'GET',
      url: '/v1/stream',
      config: { hot: true, access: { scope: 'none' } },
      schema: {
        operationId: 'consumerStream',
        summary: 'consumer stream (WebSocket): jobs pushed up to a prefetch window, settled on the same connection',
        description:
          'Upgrade to a WebSocket. The server sends `job` messages while fewer than `prefetch` jobs are leased ' +
          'and unsettled; the client sends `ack`, `nack`, `extend` and `window` messages. A dropped connection ' +
          'gives its unsettled jobs back to the front at once. See docs/streams.md.',
        tags: ['consumers'],
        querystring: StreamQuery,
        response: { 101: SwitchingProtocols, ...errorResponses(401, 403) },
      },
      preHandler: (request: StreamRequest, _reply, done) => {
        try {
          authorize(request.principal, 'consume', queuesOf(request.query.queues));
          done();
        } catch (err) {
          done(err as Error);
        }
      },
      handler: () => {
        throw new InvalidArgumentError('GET /v1/stream is a websocket: send Connection: Upgrade, Upgrade: websocket', {
          field: 'upgrade',
        });
      },
      wsHandler: (socket: WebSocket, request: StreamRequest) => {
        const query = request.query;
        const queues = queuesOf(query.queues);
        const session = new ConsumerSession({
          engine: ctx.engine,
          ack,
          queues,
          prefetch: query.prefetch ?? DEFAULT_PREFETCH,
          leaseMs: query.leaseMs,
          worker: query.worker,
          socket: tickCorkedSocket(socket, request.raw.socket),
          limits,
          log: request.log,
          onEnd: (reason) => {
            request.log.info({ reason }, 'consumer stream closed by the server');
            if (reason === 'slow-consumer') metrics.slowConsumer();
            setTimeout(() => socket.terminate(), limits.closeGraceMs).unref();
          },
        });
        sessions.add(session);
        metrics.opened(queues);
        const stopWatch = watchRevocation(ctx.authenticator, request.principal, () => void session.end('revoked'));
        const stopPings = keepAlive(socket, session, limits.pingIntervalMs);
        socket.on('message', (data: Buffer, isBinary: boolean) => {
          if (isBinary) session.refuseBinary();
          else session.receive(data.toString('utf8'));
        });
        socket.on('close', () => {
          stopPings();
          stopWatch();
          metrics.closed(queues);
          void session.end().finally(() => sessions.delete(session));
        });
      },
    });
  });
}
