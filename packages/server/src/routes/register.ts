/**
 * Puts route tables on the app. Each route gets the body limit and parsers of its BodyKind, its
 * logging temperature and shutdown behaviour in its config, and its handler bound to the
 * route context. Routes taking raw bytes live in a scope of their own with a catch-all parser.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';
import { useJsonOrBytesParsers, type BodyLimits } from '../body-parsers.ts';
import type { ServerLimits } from '../limits.ts';
import { errorResponses } from '../schemas/common.ts';
import type { Route, RouteContext } from './route.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Hot-path route: its requests log at debug. */
    hot?: boolean;
    /** Still answered while the server closes (health and metrics). */
    alwaysOn?: boolean;
    /** Body limits of the route by media type, for the 413 message. */
    bodyLimits?: BodyLimits;
  }
}

function emptyBodyAsObject(request: FastifyRequest, _reply: FastifyReply, done: HookHandlerDoneFunction): void {
  if (request.body === undefined) request.body = {};
  done();
}

function bodyLimits(route: Route, limits: ServerLimits): BodyLimits {
  const json = route.body === 'batch' || route.body === 'json-or-bytes' ? limits.batchBodyBytes : limits.bodyBytes;
  return { json, bytes: route.body === 'json-or-bytes' ? limits.rawPayloadBytes : json };
}

/** Routes behind a token document its refusals too. */
function schemaOf(route: Route): Route['schema'] {
  if (route.access.scope === 'open') return route.schema;
  return { ...route.schema, response: { ...errorResponses(401, 403), ...route.schema.response } };
}

function addRoute(scope: FastifyInstance, route: Route, ctx: RouteContext, limits: ServerLimits): void {
  scope.route({
    method: route.method,
    url: route.url,
    schema: schemaOf(route),
    config: {
      hot: route.hot === true,
      alwaysOn: route.alwaysOn === true,
      bodyLimits: bodyLimits(route, limits),
      access: route.access,
    },
    ...(route.body === 'batch' ? { bodyLimit: limits.batchBodyBytes } : {}),
    ...(route.body === 'json-optional' ? { preValidation: emptyBodyAsObject } : {}),
    handler: (request, reply) => route.handler(request as Parameters<Route['handler']>[0], reply, ctx),
  });
}

export function registerRoutes(
  app: FastifyInstance,
  routes: readonly Route[],
  ctx: RouteContext,
  limits: ServerLimits,
): void {
  app.register((scope, _options, done) => {
    for (const route of routes) if (route.body !== 'json-or-bytes') addRoute(scope, route, ctx, limits);
    done();
  });
  app.register((scope, _options, done) => {
    useJsonOrBytesParsers(scope, limits.batchBodyBytes, limits.rawPayloadBytes);
    for (const route of routes) if (route.body === 'json-or-bytes') addRoute(scope, route, ctx, limits);
    done();
  });
}
