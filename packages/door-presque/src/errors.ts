/**
 * presque's error format, and the one table from Docket's error catalog to presque statuses.
 * presque answers refusals with `{"error": "<message>"}` as `application/json`, status 400
 * unless noted; a method a path lacks gets 405 `text/plain` "Method Not Allowed" (also for verbs
 * the original answered with 500), and a path no route matches gets its 404 HTML page.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ErrorCode } from '@docket/protocol';
import { HTTP_STATUS_BY_CODE } from '@docket/server';
import { doorAnswer, type DoorErrorRules } from '@docket/server/door-support';

export class PresqueError extends Error {
  readonly status: number;

  constructor(message: string, status = 400) {
    super(message);
    this.name = 'PresqueError';
    this.status = status;
  }
}

/** The catalog's statuses (the native API's), but a body of the wrong type is presque's 400. */
export const PRESQUE_STATUS_BY_CODE = {
  ...HTTP_STATUS_BY_CODE,
  UNSUPPORTED_MEDIA_TYPE: 400,
} as const satisfies Record<ErrorCode, number>;

const RULES: DoorErrorRules = {
  own: (err) => (err instanceof PresqueError ? { status: err.status, message: err.message } : null),
  statusByCode: PRESQUE_STATUS_BY_CODE,
  tooLarge: { status: 413, message: 'request body is too large' },
  badRequest: 'bad request',
};

export function sendPresqueError(err: unknown, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const { status, message, retryAfter } = doorAnswer(err, RULES, 'presque', request.log);
  if (retryAfter !== undefined) void reply.header('retry-after', String(retryAfter));
  return reply
    .code(status)
    .type('application/json')
    .send(Buffer.from(JSON.stringify({ error: message })));
}

export function sendMethodNotAllowed(reply: FastifyReply): FastifyReply {
  return reply.code(405).type('text/plain').send('Method Not Allowed');
}

export function sendPageNotFound(reply: FastifyReply): FastifyReply {
  return reply.code(404).type('text/html').send('404 Not Found');
}
