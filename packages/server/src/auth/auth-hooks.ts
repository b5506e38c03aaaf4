/**
 * Access control on the fastify app: an onRequest hook authenticates (before any body is read,
 * so a refused request costs no parsing) and a preHandler hook authorizes the validated request
 * against its route's `access` (access.ts). A route that declares no access (a door, a path no
 * route matches) needs a token with admin on every queue while auth is on: nothing is open by
 * omission. `/metrics` follows the metrics policy; a wrong metrics token is counted and
 * rate-limited per address like any failed authentication (failure-accounting.ts). A door's request
 * is checked in the same onRequest hook by its door policy (door-hooks.ts). Both hooks are
 * callback hooks that finish without a promise when the check needs no store read (a token-cache
 * hit, grants that decide without reading jobs): the per-request cost of auth is the check itself.
 * Credentials: the Authorization header (or the
 * consumer stream's subprotocol); without one, the dashboard's session cookie on `/v1` calls and
 * the event stream (never on a WebSocket upgrade, a door or `/metrics`), whose mutating calls
 * must then pass the CSRF check (session-cookie.ts). The decisions themselves are the plain
 * functions of authenticator.ts, authorize.ts and access.ts; the doors call them too (door-hooks.ts).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { authorizeRequest, type RouteAccess } from './access.ts';
import { bearerToken, type Authenticator } from './authenticator.ts';
import { authorizeAll } from './authorize.ts';
import { OPEN_PRINCIPAL, type Principal } from './principal.ts';
import { checkDoor, doorRequest, type DoorControl } from './door-hooks.ts';
import { checkCsrf, isSafeMethod, sessionTokenOf } from './session-cookie.ts';
import type { FailureAccounting } from './failure-accounting.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** Who the request acts as (the open principal while auth is off). */
    principal: Principal;
    /**
     * Where `principal` is kept: null until the auth hook sets it. Declared on every request
     * from its construction, so setting it does not change the request object's shape (a
     * property added per request made every request of an auth-on server a second shape).
     */
    authenticatedPrincipal: Principal | null;
    /**
     * The route's declared access as the onRequest hook read it (undefined: none declared);
     * null until then. The preHandler hook reads it here: `routeOptions` builds a new object
     * on every read.
     */
    declaredAccess: RouteAccess | undefined | null;
  }
  interface FastifyContextConfig {
    /** What the route needs (auth/access.ts); undefined: admin on every queue while auth is on. */
    access?: RouteAccess;
  }
}

/** `open`: anyone may scrape; `auth`: a token with read on every queue; or this metrics-only token. */
export type MetricsPolicy = 'open' | 'auth' | { readonly token: string };

export interface AccessControl extends DoorControl {
  readonly authenticator: Authenticator;
  readonly metrics: MetricsPolicy;
  /** Accounts for a wrong metrics token (and door tokens): counted, rate-limited per address. */
  readonly failures: FailureAccounting;
}

/**
 * A WebSocket upgrade is checked in preHandler, not onRequest: an upgrade refused in onRequest
 * leaves @fastify/websocket's socket open (and the server's close waiting on it).
 */
export function isUpgrade(request: FastifyRequest): boolean {
  return request.headers.upgrade !== undefined;
}
const DEFAULT_ACCESS: RouteAccess = { scope: 'every-queue', action: 'admin' };

const TOKEN_PROTOCOL = 'docket.token.';

/**
 * The request's credentials as an Authorization value: the header, or on a WebSocket upgrade
 * without one, the subprotocol `docket.token.<token>` (browsers cannot set headers there).
 */
export function authorizationOf(headers: FastifyRequest['headers']): string | undefined {
  if (headers.authorization !== undefined) return headers.authorization;
  const protocols = headers['sec-websocket-protocol'];
  if (typeof protocols !== 'string') return undefined;
  const offered = protocols.split(',').map((p) => p.trim());
  const token = offered.find((p) => p.startsWith(TOKEN_PROTOCOL))?.slice(TOKEN_PROTOCOL.length);
  return token === undefined ? undefined : `Bearer ${token}`;
}

async function checkMetrics(request: FastifyRequest, control: AccessControl): Promise<void> {
  const policy = control.metrics;
  if (policy === 'open') return;
  if (policy !== 'auth') {
    control.failures.matchSecret(
      request.headers.authorization === undefined ? undefined : bearerToken(request.headers.authorization),
      policy.token,
      request.ip,
      'missing or invalid metrics token',
    );
    return;
  }
  const principal = await control.authenticator.authenticate(authorizationOf(request.headers), request.ip);
  authorizeAll(principal, 'read');
}

type Done = (err?: Error) => void;
type Check = (request: FastifyRequest, reply: FastifyReply, declared: RouteAccess | undefined) => void | Promise<void>;

/**
 * Runs a check that returns nothing when it decided at once (the common case: a token-cache hit)
 * and a promise only when it must wait, and reports the outcome to a fastify hook's `done`: a
 * request whose check needs no store read passes the hook without a promise (or a closure).
 */
function settle(
  check: Check,
  request: FastifyRequest,
  reply: FastifyReply,
  declared: RouteAccess | undefined,
  done: Done,
): void {
  let result: void | Promise<void>;
  try {
    result = check(request, reply, declared);
  } catch (err) {
    done(err as Error);
    return;
  }
  if (result === undefined) done();
  else result.then(() => done(), done);
}

export function installAuthHooks(app: FastifyInstance, control: AccessControl): void {
  app.decorateRequest('authenticatedPrincipal', null);
  app.decorateRequest('declaredAccess', null);
  app.decorateRequest('principal', {
    getter(this: FastifyRequest) {
      return this.authenticatedPrincipal ?? OPEN_PRINCIPAL;
    },
    setter(this: FastifyRequest, principal: Principal) {
      this.authenticatedPrincipal = principal;
    },
  });
  if (!control.authenticator.enabled && control.metrics === 'open') return;

  const admit = (request: FastifyRequest, principal: Principal, session: string | undefined): void => {
    request.principal = principal;
    if (session !== undefined && !isSafeMethod(request.method)) checkCsrf(request.headers, session);
  };
  /** Authenticates a native request; a door's request is checked by its door policy. */
  const authenticate: Check = (request, reply, declared) => {
    const door = doorRequest(request, declared);
    if (door !== null) return control.authenticator.enabled ? checkDoor(request, reply, door, control) : undefined;
    const access = declared ?? DEFAULT_ACCESS;
    if (access.scope === 'open' || access.scope === 'login') return;
    if (access.scope === 'metrics') return checkMetrics(request, control);
    if (!control.authenticator.enabled) return;
    const headers = request.headers;
    const authorization = authorizationOf(headers);
    const session = authorization === undefined && headers.upgrade === undefined ? sessionTokenOf(headers) : undefined;
    const principal = control.authenticator.authenticateNow(
      session === undefined ? authorization : `Bearer ${session}`,
      request,
    );
    if (principal instanceof Promise) return principal.then((known) => admit(request, known, session));
    admit(request, principal, session);
  };
  /** Authorizes a validated native request against its route's access. */
  const authorizeCall: Check = (request, _reply, declared) => {
    if (request.is404 || doorRequest(request, declared) !== null) return;
    return authorizeRequest(control.jobs, request.principal, declared ?? DEFAULT_ACCESS, request);
  };
  /** A WebSocket upgrade, authenticated here rather than in onRequest (see isUpgrade). */
  const authenticateUpgrade: Check = (request, reply, declared) => {
    const authenticated = authenticate(request, reply, declared);
    if (authenticated === undefined) return authorizeCall(request, reply, declared);
    return authenticated.then(() => authorizeCall(request, reply, declared));
  };

  app.addHook('onRequest', (request, reply, done) => {
    if (isUpgrade(request)) {
      done();
      return;
    }
    const declared = request.routeOptions.config.access;
    request.declaredAccess = declared;
    settle(authenticate, request, reply, declared, done);
  });

  if (!control.authenticator.enabled) return;
  app.addHook('preHandler', (request, reply, done) => {
    const declared = request.declaredAccess;
    if (declared !== null) settle(authorizeCall, request, reply, declared, done);
    else settle(authenticateUpgrade, request, reply, request.routeOptions.config.access, done);
  });
}
