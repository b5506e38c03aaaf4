/**
 * The emq door: one encapsulated scope per emq prefix (`/enqueue/`, `/wait/`, `/ack/`, `/nak/`,
 * `/peek/`, `/queues/`), each with emq's fallbacks: the bare prefix and unclean paths answer 301
 * as Go's ServeMux does, a wrong method answers 400 (not 405), errors are plain text. Bodies are
 * read as text and decoded by the handlers, so the Content-Type check comes before decoding, as
 * in emq. Paths outside these prefixes are not emq's: they keep Docket's own answers.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { HIDDEN, type DoorContext, textParser } from '@docket/server/door-support';
import { badRequest, sendEmqError } from './errors.ts';
import { redirectTarget, uncleanRedirectTarget, type EmqPrefix } from './paths.ts';
import * as handlers from './routes.ts';
import { WaitRoom } from './wait-room.ts';

interface Endpoint {
  readonly prefix: EmqPrefix;
  readonly method: 'GET' | 'POST';
  readonly handler: handlers.EmqHandler;
}

const ENDPOINTS: readonly Endpoint[] = [
  { prefix: '/enqueue', method: 'POST', handler: handlers.enqueue },
  { prefix: '/wait', method: 'POST', handler: handlers.wait },
  { prefix: '/ack', method: 'POST', handler: handlers.ack },
  { prefix: '/nak', method: 'POST', handler: handlers.nak },
  { prefix: '/peek', method: 'GET', handler: handlers.peek },
  { prefix: '/queues', method: 'GET', handler: handlers.queues },
];

/** ServeMux's redirect: Go writes the small HTML body for GET only. */
function sendRedirect(request: FastifyRequest, reply: FastifyReply, location: string): FastifyReply {
  void reply.code(301).header('location', location);
  // Go writes neither a body nor a Content-Type for other methods.
  if (request.method !== 'GET') return reply.send();
  const href = location.replaceAll('&', '&amp;').replaceAll('"', '&#34;').replaceAll('<', '&lt;');
  return reply.type('text/html; charset=utf-8').send(`<a href="${href}">Moved Permanently</a>.\n\n`);
}

function registerEndpoint(app: FastifyInstance, endpoint: Endpoint, ctx: handlers.EmqContext): void {
  app.register(
    (scope, _options, done) => {
      scope.removeAllContentTypeParsers();
      scope.addContentTypeParser('*', textParser(ctx.limits.bodyBytes));
      scope.setErrorHandler((err, request, reply) => sendEmqError(err, request, reply));
      scope.setNotFoundHandler((request, reply) => {
        const location = redirectTarget(request.url, endpoint.prefix);
        if (location !== null) return sendRedirect(request, reply, location);
        return sendEmqError(badRequest(), request, reply);
      });
      scope.route({
        method: endpoint.method,
        url: '/*',
        schema: HIDDEN,
        exposeHeadRoute: false,
        handler: (request, reply) => {
          const location = redirectTarget(request.url, endpoint.prefix);
          if (location !== null) return sendRedirect(request, reply, location);
          const rest = (request.params as { '*': string })['*'];
          return endpoint.handler(rest, request, reply, ctx);
        },
      });
      done();
    },
    { prefix: endpoint.prefix },
  );
}

export function registerEmqDoor(app: FastifyInstance, door: DoorContext): void {
  const ctx = { ...door, room: new WaitRoom(door.engine) };
  // ServeMux cleans the whole path before it matches: `//queues/` never reaches a prefix's scope.
  app.addHook('onRequest', (request, reply, done) => {
    const location = uncleanRedirectTarget(request.url);
    if (location === null) done();
    else void sendRedirect(request, reply, location);
  });
  for (const endpoint of ENDPOINTS) registerEndpoint(app, endpoint, ctx);
}
