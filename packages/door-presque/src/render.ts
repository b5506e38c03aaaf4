/**
 * presque's reply forms: every normal reply is `application/json`, even an empty 201 or 204, and
 * counters are strings when non-zero but the number 0 (or null) when zero, as Redis gave them.
 */
import type { FastifyReply } from 'fastify';

const JSON_TYPE = 'application/json';

/** Sent as bytes: fastify would add `; charset=utf-8` to a string body's JSON type. */
export function sendJson(reply: FastifyReply, status: number, value: unknown): FastifyReply {
  return reply
    .code(status)
    .type(JSON_TYPE)
    .send(Buffer.from(JSON.stringify(value)));
}

export function sendEmpty(reply: FastifyReply, status: 201 | 204): FastifyReply {
  return reply.code(status).type(JSON_TYPE).send(Buffer.alloc(0));
}

export function sendBody(reply: FastifyReply, body: Buffer): FastifyReply {
  return reply.code(200).type(JSON_TYPE).send(body);
}

/** `/j/`'s counters: a non-zero count is a JSON string, zero is the number 0. */
export function countOrZero(count: number): string | 0 {
  return count === 0 ? 0 : String(count);
}

/** `/w/`'s queue counters: a raw string, null when there is none. */
export function countOrNull(count: number): string | null {
  return count === 0 ? null : String(count);
}
