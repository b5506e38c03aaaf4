/**
 * miniqueue's answers outside the subscribe stream: errors as `{"error": "<text>"}\n` typed
 * `text/plain; charset=utf-8` (Go sniffs that type, miniqueue sets none); Go's 404 page for a
 * path under miniqueue's prefixes that no route matches; an empty 405 when the path matches
 * but the method does not. Statuses of catalog errors are Docket's (a full disk is 507, not
 * miniqueue's blanket 500), with `Retry-After` where the native API sends one.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DocketError } from '@docket/protocol';
import { fromFastifyError, errorReply } from '@docket/server/door-support';
import { errorLine } from './render.ts';

const TEXT = 'text/plain; charset=utf-8';

export class MiniqueueError extends Error {
  readonly status: number;

  constructor(status: number, message: string) {
    super(message);
    this.name = 'MiniqueueError';
    this.status = status;
  }
}

export function sendMiniqueueError(err: unknown, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  if (err instanceof MiniqueueError) return reply.code(err.status).type(TEXT).send(errorLine(err.message));
  const known =
    err instanceof DocketError
      ? err
      : fromFastifyError(err, { contentType: request.headers['content-type'], bodyLimit: bodyLimitOf(request) });
  const answer = errorReply(known ?? err);
  if (known === null) request.log.error({ err }, 'miniqueue request failed with an unexpected error');
  if (answer.retryAfter !== null) void reply.header('retry-after', String(answer.retryAfter));
  return reply.code(answer.status).type(TEXT).send(errorLine(answer.body.error.message));
}

function bodyLimitOf(request: FastifyRequest): number {
  return request.routeOptions.bodyLimit ?? 0;
}

/** Go's http.NotFound. */
export function sendPageNotFound(reply: FastifyReply): FastifyReply {
  return reply.code(404).type(TEXT).header('x-content-type-options', 'nosniff').send('404 page not found\n');
}

/** gorilla/mux's method mismatch: 405 with an empty body. */
export function sendMethodNotAllowed(reply: FastifyReply): FastifyReply {
  return reply.code(405).send();
}
