/**
 * Which single-segment paths `DELETE /{topic}` may purge: miniqueue's catch-all must never
 * shadow a path of Docket or of another door (`DELETE /livez`, `DELETE /v1`, `DELETE /enqueue`
 * keep the answers they would get without miniqueue). The first segment of every route
 * registered after the guard is recorded; a single-segment route registered before it is found
 * by its exact path. The router asks, per DELETE request, whether the segment is free.
 *
 * The check is a find-my-way constraint: for a reserved segment the purge route does not match
 * at all, so the request falls through to the not-found handler that owns the prefix.
 */
import type { IncomingMessage } from 'node:http';
import type { FastifyInstance } from 'fastify';

type Strategy = Parameters<FastifyInstance['addConstraintStrategy']>[0];
type RouteHandler = NonNullable<ReturnType<ReturnType<Strategy['storage']>['get']>>;

export const TOPIC_CONSTRAINT = 'miniqueueTopic';
/** The constraint value of a DELETE whose first segment no other route uses. */
export const FREE_TOPIC = 'free';

/** The first path segment of a route pattern or a request URL, percent-decoded; null for a parameter. */
export function firstSegment(path: string): string | null {
  const segment = (path.split('?', 1)[0] ?? '').split('/')[1] ?? '';
  if (segment.startsWith(':') || segment.startsWith('*')) return null;
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** Records the first segment of every route registered from now on, and installs the constraint. */
export function guardPurgePaths(app: FastifyInstance): void {
  const reserved = new Set<string>();
  app.addHook('onRoute', (route) => {
    const segment = firstSegment(route.url ?? '');
    if (segment !== null) reserved.add(segment);
  });
  app.addConstraintStrategy({
    name: TOPIC_CONSTRAINT,
    storage() {
      const handlers = new Map<unknown, RouteHandler>();
      return {
        get: (value: unknown) => handlers.get(value) ?? null,
        set: (value: unknown, handler: RouteHandler) => {
          handlers.set(value, handler);
        },
      };
    },
    deriveConstraint(request: IncomingMessage) {
      if (request.method !== 'DELETE') return '';
      const segment = firstSegment(request.url ?? '');
      if (segment === null || reserved.has(segment)) return '';
      // A route registered before the guard (such as GET /openapi.json) is found by its exact path.
      const url = `/${segment}`;
      const taken = app.supportedMethods.some((method) => method !== 'DELETE' && app.hasRoute({ method, url }));
      return taken ? '' : FREE_TOPIC;
    },
    mustMatchWhenDerived: false,
  });
}
