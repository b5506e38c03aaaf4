/**
 * Hooks every request passes: refusal while the server closes, `Connection: close` on every
 * answer sent while closing (a keep-alive connection that turns idle after the server began
 * closing would otherwise hold the close open until its keep-alive timeout), and the HTTP
 * duration histogram (request log lines come from logger.ts).
 */
import type { FastifyInstance } from 'fastify';
import { UnavailableError } from '@docket/protocol';
import type { Lifecycle } from './lifecycle.ts';
import type { Metrics } from './metrics/metrics.ts';

/** The route label of requests that matched no route, so the label set stays bounded. */
const UNMATCHED_ROUTE = 'unmatched';

export function installRequestHooks(app: FastifyInstance, lifecycle: Lifecycle, metrics: Metrics): void {
  app.addHook('onRequest', (request, _reply, done) => {
    if (lifecycle.phase !== 'closing' || request.routeOptions.config.alwaysOn === true) done();
    else done(new UnavailableError('the server is shutting down: retry on another instance'));
  });

  app.addHook('onSend', (request, reply, payload, done) => {
    // HTTP/2 has no Connection header (its sessions get GOAWAY at shutdown instead).
    if (lifecycle.phase === 'closing' && request.raw.httpVersionMajor !== 2) void reply.header('connection', 'close');
    done(null, payload);
  });

  app.addHook('onResponse', (request, reply, done) => {
    const route = request.routeOptions.url ?? UNMATCHED_ROUTE;
    metrics.observeRequest(request.method, route, reply.statusCode, reply.elapsedTime / 1000);
    done();
  });
}
