/**
 * The browser guard (browser-guard.ts) on the fastify app: Host and Origin checks on every
 * request but health, CORS answers for allowed origins (preflights answered here), the media
 * type check on the API's own routes (the doors take their own reviewed types), and security
 * headers: `nosniff` on every answer, and a strict policy on HTML pages.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { isUpgrade } from './auth-hooks.ts';
import { checkHost, checkMediaType, checkOrigin, type BrowserPolicy } from './browser-guard.ts';

const HTML_HEADERS = {
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'content-security-policy':
    "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'",
};
const CORS_MAX_AGE_S = '600';

type Done = (err?: Error) => void;

export function installBrowserHooks(app: FastifyInstance, policy: BrowserPolicy): void {
  /** Checks the request; true when it answered it (a CORS preflight). Throws a refusal. */
  const check = (request: FastifyRequest, reply: FastifyReply): boolean => {
    const access = request.routeOptions.config.access;
    if (access?.scope === 'open' && request.routeOptions.url !== '/docs') return false;
    checkHost(request.headers, policy);
    const origin = checkOrigin(request.headers, policy);
    if (origin !== null) {
      void reply.header('access-control-allow-origin', origin).header('vary', 'Origin');
      if (request.method === 'OPTIONS' && request.headers['access-control-request-method'] !== undefined) {
        void reply
          .code(204)
          .header('access-control-allow-methods', 'GET, POST, PUT, DELETE')
          .header('access-control-allow-headers', 'authorization, content-type, last-event-id')
          .header('access-control-max-age', CORS_MAX_AGE_S)
          .send();
        return true;
      }
    }
    if (access !== undefined && request.method !== 'GET' && request.method !== 'HEAD') checkMediaType(request.headers);
    return false;
  };
  /** Callback hooks, not async ones: no promise and no microtask hop per request. */
  const run = (request: FastifyRequest, reply: FastifyReply, done: Done): void => {
    let answered: boolean;
    try {
      answered = check(request, reply);
    } catch (err) {
      done(err as Error);
      return;
    }
    if (!answered) done();
  };
  app.addHook('onRequest', (request, reply, done) => (isUpgrade(request) ? done() : run(request, reply, done)));
  app.addHook('preHandler', (request, reply, done) => (isUpgrade(request) ? run(request, reply, done) : done()));

  app.addHook('onSend', (_request, reply, payload, done) => {
    void reply.header('x-content-type-options', 'nosniff');
    const type = reply.getHeader('content-type');
    if (typeof type === 'string' && type.startsWith('text/html')) void reply.headers(HTML_HEADERS);
    done(null, payload);
  });
}
