/**
 * The presque door: one encapsulated scope per presque prefix (`/q/`, `/qb/`, `/j/`, `/w/`,
 * `/status/`, `/control/`) where the rest of the decoded path is the queue name, with presque's
 * fallbacks: a method the path lacks answers 405 (any verb, where the original answered 500 for
 * unknown ones), the bare prefix answers presque's 404 page (except `/w`, served as `/w/` so
 * Net::Presque's worker calls work), errors are `{"error": …}`. Bodies are read as bytes, so a
 * job is stored exactly as sent. HEAD runs GET, as in presque.
 */
import type { FastifyInstance, HTTPMethods } from 'fastify';
import { bytesParser, HIDDEN, type DoorContext } from '@docket/server/door-support';
import { sendMethodNotAllowed, sendPageNotFound, sendPresqueError } from './errors.ts';
import { control, controlStatus, jobInfo, status } from './routes-info.ts';
import {
  deleteBatch,
  fetchBatch,
  fetchOne,
  insert,
  insertBatch,
  purge,
  putBatch,
  requeue,
  type PresqueHandler,
} from './routes-jobs.ts';
import { register, unregister, workers } from './routes-workers.ts';

interface Scope {
  readonly prefix: string;
  readonly methods: Partial<Record<HTTPMethods, PresqueHandler>>;
  /** The bare prefix is served like `<prefix>/` (only `/w`). */
  readonly bare?: boolean;
}

const SCOPES: readonly Scope[] = [
  { prefix: '/q', methods: { GET: fetchOne, POST: insert, PUT: requeue, DELETE: purge } },
  { prefix: '/qb', methods: { GET: fetchBatch, POST: insertBatch, PUT: putBatch, DELETE: deleteBatch } },
  { prefix: '/j', methods: { GET: jobInfo } },
  { prefix: '/w', methods: { GET: workers, POST: register, DELETE: unregister }, bare: true },
  { prefix: '/status', methods: { GET: status } },
  { prefix: '/control', methods: { GET: controlStatus, POST: control } },
];

function registerScope(app: FastifyInstance, scope: Scope, ctx: DoorContext): void {
  app.register(
    (instance, _options, done) => {
      instance.removeAllContentTypeParsers();
      instance.addContentTypeParser('*', bytesParser(ctx.limits.batchBodyBytes));
      instance.setErrorHandler((err, request, reply) => sendPresqueError(err, request, reply));
      instance.setNotFoundHandler((request, reply) => {
        const path = request.url.split('?')[0] ?? '';
        return path === scope.prefix ? sendPageNotFound(reply) : sendMethodNotAllowed(reply);
      });
      for (const [method, handler] of Object.entries(scope.methods) as Array<[HTTPMethods, PresqueHandler]>) {
        const urls = scope.bare === true && method === 'GET' ? ['/*', ''] : ['/*'];
        for (const url of urls) {
          instance.route({
            method,
            url,
            schema: HIDDEN,
            handler: (request, reply) => {
              const rest = (request.params as { '*'?: string })['*'] ?? '';
              return handler(rest, request, reply, ctx);
            },
          });
        }
      }
      done();
    },
    { prefix: scope.prefix },
  );
}

export function registerPresqueDoor(app: FastifyInstance, door: DoorContext): void {
  for (const scope of SCOPES) registerScope(app, scope, door);
}
