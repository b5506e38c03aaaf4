/**
 * The app's one error handler and its not-found handler: every failure becomes
 * `{ error: { code, message, details } }` with the status of its code (http-errors.ts) and
 * `Retry-After` where the client should come back. A 500 is a bug: it is logged with the
 * request id (the request logger carries it) and answered with a generic message.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { DocketError, RouteNotFoundError } from '@docket/protocol';
import { fromFastifyError } from './fastify-errors.ts';
import { errorReply } from './http-errors.ts';

/** The limit a body was held to: the route's, for the request's media type. */
function bodyLimitOf(request: FastifyRequest): number {
  const limits = request.routeOptions.config.bodyLimits;
  if (limits === undefined) return request.routeOptions.bodyLimit ?? 0;
  return request.headers['content-type']?.toLowerCase().startsWith('application/json') === true
    ? limits.json
    : limits.bytes;
}

/** Renders any error as the catalog answer (also fastify's frameworkErrors: bad URLs, long params). */
export function sendError(err: unknown, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const known =
    err instanceof DocketError
      ? err
      : fromFastifyError(err, {
          contentType: request.headers['content-type'],
          bodyLimit: bodyLimitOf(request),
        });
  const answer = errorReply(known ?? err);
  if (answer.status >= 500 && known === null) {
    request.log.error({ err }, 'request failed with an unexpected error');
  } else {
    request.log.debug({ code: answer.body.error.code }, answer.body.error.message);
  }
  if (answer.retryAfter !== null) void reply.header('retry-after', String(answer.retryAfter));
  if (answer.wwwAuthenticate !== null) void reply.header('www-authenticate', answer.wwwAuthenticate);
  return reply.code(answer.status).type('application/json; charset=utf-8').send(answer.body);
}

export function installErrorHandlers(app: FastifyInstance): void {
  app.setErrorHandler((err, request, reply) => sendError(err, request, reply));
  app.setNotFoundHandler((request, reply) => {
    const path = (request.url.split('?')[0] ?? '').slice(0, 200);
    return sendError(new RouteNotFoundError(request.method, path), request, reply);
  });
}
