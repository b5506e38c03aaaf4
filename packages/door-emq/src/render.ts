/**
 * Jobs and replies in emq's form. A task is `{"id": <22 characters>, "content": <json>}`, keys
 * in that order; a byte payload (enqueued through another door) shows as its base64 text, as
 * in the native API. JSON bodies end with a newline, as Go's json.Encoder writes them.
 */
import type { Job } from '@docket/protocol';
import type { FastifyReply } from 'fastify';
import { emqIdOf } from './ids.ts';

export interface EmqTask {
  readonly id: string;
  readonly content: unknown;
}

export function renderTask(job: Job): EmqTask {
  const content = job.data instanceof Uint8Array ? Buffer.from(job.data).toString('base64') : job.data;
  return { id: emqIdOf(job.id), content };
}

/** POST endpoints answer this Content-Type, with or without a body. */
const POST_CONTENT_TYPE = 'application/json; charset=UTF-8';
/** emq's GET handlers set none, so Go sniffs their JSON as plain text. */
const GET_CONTENT_TYPE = 'text/plain; charset=utf-8';

export function sendEmpty(reply: FastifyReply): FastifyReply {
  return reply.code(200).type(POST_CONTENT_TYPE).send('');
}

export function sendPostJson(reply: FastifyReply, value: unknown): FastifyReply {
  return reply
    .code(200)
    .type(POST_CONTENT_TYPE)
    .send(`${JSON.stringify(value)}\n`);
}

export function sendGetJson(reply: FastifyReply, value: unknown): FastifyReply {
  return reply
    .code(200)
    .type(GET_CONTENT_TYPE)
    .send(`${JSON.stringify(value)}\n`);
}
