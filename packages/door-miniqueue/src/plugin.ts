/**
 * The miniqueue door: `POST /publish/{topic}`, `POST /subscribe/{topic}` (a full-duplex stream,
 * HTTP/2 or HTTP/1.1) and `DELETE /{topic}`, each a thin adapter over the engine (handlers.ts).
 * Under `/publish/` and `/subscribe/` miniqueue's fallbacks apply: another method gets an empty
 * 405, an unmatched path Go's `404 page not found`; errors are `{"error": "…"}` lines. The
 * purge route only takes single segments no other route uses (paths.ts).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest, HTTPMethods } from 'fastify';
import { HIDDEN, type DoorContext, bytesParser } from '@docket/server/door-support';
import { sendMethodNotAllowed, sendMiniqueueError, sendPageNotFound } from './errors.ts';
import * as handlers from './handlers.ts';
import { FREE_TOPIC, TOPIC_CONSTRAINT, guardPurgePaths } from './paths.ts';

type TopicRequest = FastifyRequest<{ Params: { topic: string } }>;
type Handler = (ctx: DoorContext, request: TopicRequest, reply: FastifyReply) => Promise<unknown>;

/** The methods fastify routes, but POST: each gets miniqueue's 405 on a miniqueue path. */
function otherMethods(app: FastifyInstance): HTTPMethods[] {
  return app.supportedMethods.filter((method) => method !== 'POST');
}

interface PrefixRoute {
  readonly prefix: '/publish' | '/subscribe';
  /** Sets the scope's body parser. */
  readonly useBody: (scope: FastifyInstance) => void;
  readonly handler: Handler;
  /** Hot-path requests log at debug. */
  readonly hot: boolean;
}

/** A scope with miniqueue's error, 404 and 405 answers under the prefix, and its POST route. */
function registerPrefix(app: FastifyInstance, { prefix, useBody, handler, hot }: PrefixRoute, ctx: DoorContext): void {
  app.register(
    (scope, _options, done) => {
      scope.removeAllContentTypeParsers();
      useBody(scope);
      scope.setErrorHandler((err, request, reply) => sendMiniqueueError(err, request, reply));
      scope.setNotFoundHandler((_request, reply) => sendPageNotFound(reply));
      scope.route({
        method: 'POST',
        url: '/:topic',
        schema: HIDDEN,
        config: { hot },
        handler: (request, reply) => handler(ctx, request as TopicRequest, reply),
      });
      scope.route({
        method: otherMethods(scope),
        url: '/:topic',
        schema: HIDDEN,
        exposeHeadRoute: false,
        handler: (_request, reply) => sendMethodNotAllowed(reply),
      });
      done();
    },
    { prefix },
  );
}

export function registerMiniqueueDoor(app: FastifyInstance, ctx: DoorContext): void {
  guardPurgePaths(app);
  registerPrefix(
    app,
    {
      prefix: '/publish',
      useBody: (scope) => {
        scope.addContentTypeParser('*', bytesParser(ctx.limits.rawPayloadBytes));
      },
      handler: handlers.publish,
      hot: true,
    },
    ctx,
  );
  registerPrefix(
    app,
    {
      prefix: '/subscribe',
      // The body is the command stream: the handler reads it as it arrives.
      useBody: (scope) => {
        scope.addContentTypeParser('*', (_request, _payload, done) => {
          done(null, undefined);
        });
      },
      handler: handlers.subscribe,
      hot: false,
    },
    ctx,
  );
  app.register((scope, _options, done) => {
    scope.setErrorHandler((err, request, reply) => sendMiniqueueError(err, request, reply));
    scope.route({
      method: 'DELETE',
      url: '/:topic',
      schema: HIDDEN,
      constraints: { [TOPIC_CONSTRAINT]: FREE_TOPIC },
      handler: (request, reply) => handlers.purge(ctx, request as TopicRequest, reply),
    });
    done();
  });
}
