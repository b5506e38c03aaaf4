/**
 * Health routes for orchestrators: /livez (the process and its event loop answer), /readyz
 * (and its alias /healthz): 503 from the moment shutdown begins, or while the injected
 * readiness check reports a reason (storage unreachable, migrations pending, disk full).
 */
import { Type } from '@sinclair/typebox';
import { UnavailableError } from '@docket/protocol';
import { errorResponses } from '../schemas/common.ts';
import { defineRoute, type RouteContext } from './route.ts';

const tags = ['operations'];
const Status = Type.Object({ status: Type.String() });

const livez = defineRoute({
  method: 'GET',
  url: '/livez',
  body: 'none',
  access: { scope: 'open' },
  alwaysOn: true,
  schema: {
    operationId: 'livez',
    summary: 'liveness: 200 while the process answers',
    tags,
    response: { 200: Status },
  },
  handler() {
    return Promise.resolve({ status: 'ok' });
  },
});

async function readiness(ctx: RouteContext): Promise<{ status: string }> {
  if (ctx.lifecycle.phase !== 'serving') throw new UnavailableError('not ready: the server is shutting down');
  const reason = await ctx.readyCheck();
  if (reason !== null) throw new UnavailableError(`not ready: ${reason}`);
  return { status: 'ready' };
}

function readyRoute(url: string, operationId: string) {
  return defineRoute({
    method: 'GET',
    url,
    body: 'none',
    access: { scope: 'open' },
    alwaysOn: true,
    schema: {
      operationId,
      summary: 'readiness: 200 when the server takes work, 503 while shutting down or not ready',
      tags,
      response: { 200: Status, ...errorResponses() },
    },
    handler(_request, _reply, ctx) {
      return readiness(ctx);
    },
  });
}

export const healthRoutes = [livez, readyRoute('/readyz', 'readyz'), readyRoute('/healthz', 'healthz')];
