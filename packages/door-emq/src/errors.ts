/**
 * emq's error format, and the one table from Docket's error catalog to emq statuses. emq answers
 * every refusal with 400, `text/plain; charset=utf-8`, `X-Content-Type-Options: nosniff` and the
 * message plus a newline; so does this door for bad input. Failures emq never had (storage
 * unavailable, shutting down) keep their native status in the same plain-text form.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ErrorCode } from '@docket/protocol';
import { HTTP_STATUS_BY_CODE } from '@docket/server';
import { doorAnswer, type DoorErrorRules } from '@docket/server/door-support';

/** A refusal in emq's words (`Bad Request`, `json: unknown field "foo"`, `invalid length`, …). */
export class EmqError extends Error {
  readonly status: number;

  constructor(message: string, status = 400) {
    super(message);
    this.name = 'EmqError';
    this.status = status;
  }
}

/** emq's answer to a wrong method or a Content-Type that is not JSON. */
export const badRequest = (): EmqError => new EmqError('Bad Request');

/**
 * The catalog's statuses (the native API's), but where emq answers its blanket 400: a job or
 * queue it does not know, a stale lease, a job already finished or expired, a body too large or
 * of the wrong type.
 */
export const EMQ_STATUS_BY_CODE = {
  ...HTTP_STATUS_BY_CODE,
  JOB_NOT_FOUND: 400,
  QUEUE_NOT_FOUND: 400,
  LEASE_MISMATCH: 400,
  JOB_EXPIRED: 400,
  JOB_FINISHED: 400,
  PAYLOAD_TOO_LARGE: 400,
  UNSUPPORTED_MEDIA_TYPE: 400,
} as const satisfies Record<ErrorCode, number>;

const RULES: DoorErrorRules = {
  own: (err) => (err instanceof EmqError ? { status: err.status, message: err.message } : null),
  statusByCode: EMQ_STATUS_BY_CODE,
  tooLarge: { status: 400, message: 'http: request body too large' },
  badRequest: 'Bad Request',
};

export function sendEmqError(err: unknown, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const { status, message, retryAfter } = doorAnswer(err, RULES, 'emq', request.log);
  if (retryAfter !== undefined) void reply.header('retry-after', String(retryAfter));
  return reply
    .code(status)
    .header('x-content-type-options', 'nosniff')
    .type('text/plain; charset=utf-8')
    .send(`${message}\n`);
}
