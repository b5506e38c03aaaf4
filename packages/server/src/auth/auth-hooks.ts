/**
 * Access control on the fastify app: an onRequest hook authenticates (before any body is read,
 * so a refused request costs no parsing) and a preHandler hook authorizes the validated request
 * against its route's `access` (access.ts). A route that declares no access (a door, a path no
 * route matches) needs a token with admin on every queue while auth is on: nothing is open by
 * omission. `/metrics` follows the metrics policy; a wrong metrics token is counted and
 * rate-limited per address like any failed authentication (failure-accounting.ts). Credentials: the Authorization header (or the
 * consumer stream's subprotocol); without one, the dashboard's session cookie on `/v1` calls and
 * the event stream (never on a WebSocket upgrade, a door or `/metrics`), whose mutating calls
 * must then pass the CSRF check (session-cookie.ts). The decisions themselves are the plain
 * functions of authenticator.ts, authorize.ts and access.ts, which the lean HTTP path calls too.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Engine } from '@docket/core';
import { authorizeRequest, type RouteAccess } from './access.ts';
import type { Authenticator } from './authenticator.ts';
import { authorizeAll } from './authorize.ts';
import { OPEN_PRINCIPAL, type Principal } from './principal.ts';
import { doorRequest } from './door-hooks.ts';
import { checkCsrf, isSafeMethod, sessionTokenOf } from './session-cookie.ts';
import type { FailureAccounting } from './failure-accounting.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** Who the request acts as (the open principal while auth is off). */
    principal: Principal;
  }
  interface FastifyContextConfig {
    /** What the route needs (auth/access.ts); undefined: admin on every queue while auth is on. */
    access?: RouteAccess;
  }
}

/** `open`: anyone may scrape; `auth`: a token with read on every queue; or this metrics-only token. */
export type MetricsPolicy = 'open' | 'auth' | { readonly token: string };

export interface AccessControl {
  readonly authenticator: Authenticator;
  readonly engine: Engine;
  readonly metrics: MetricsPolicy;
  /** Accounts for a wrong metrics token (counted, rate-limited per address). */
  readonly failures: FailureAccounting;
}

const PRINCIPAL = Symbol('principal');

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

function bearer(request: FastifyRequest): string | undefined {
  return /^Bearer +(\S+) *$/i.exec(request.headers.authorization ?? '')?.[1];
}

async function checkMetrics(request: FastifyRequest, control: AccessControl): Promise<void> {
  const policy = control.metrics;
  if (policy === 'open') return;
  if (policy !== 'auth') {
    control.failures.matchSecret(bearer(request), policy.token, request.ip, 'missing or invalid metrics token');
    return;
  }
  const principal = await control.authenticator.authenticate(authorizationOf(request.headers), request.ip);
  authorizeAll(principal, 'read');
}

export function installAuthHooks(app: FastifyInstance, control: AccessControl): void {
  app.decorateRequest('principal', {
    getter(this: FastifyRequest & { [PRINCIPAL]?: Principal }) {
      return this[PRINCIPAL] ?? OPEN_PRINCIPAL;
    },
    setter(this: FastifyRequest & { [PRINCIPAL]?: Principal }, principal: Principal) {
      this[PRINCIPAL] = principal;
    },
  });
  if (!control.authenticator.enabled && control.metrics === 'open') return;

  const authenticate = async (request: FastifyRequest): Promise<void> => {
    if (doorRequest(request) !== null) return;
    const access = request.routeOptions.config.access ?? DEFAULT_ACCESS;
    if (access.scope === 'open' || access.scope === 'login') return;
    if (access.scope === 'metrics') {
      await checkMetrics(request, control);
      return;
    }
    if (!control.authenticator.enabled) return;
    const authorization = authorizationOf(request.headers);
    const session = authorization === undefined && !isUpgrade(request) ? sessionTokenOf(request.headers) : undefined;
    request.principal = await control.authenticator.authenticate(
      session === undefined ? authorization : `Bearer ${session}`,
      request.ip,
    );
    if (session !== undefined && !isSafeMethod(request.method)) checkCsrf(request.headers, session);
  };
  app.addHook('onRequest', async (request) => {
    if (!isUpgrade(request)) await authenticate(request);
  });

  if (!control.authenticator.enabled) return;
  app.addHook('preHandler', async (request) => {
    if (isUpgrade(request)) await authenticate(request);
    if (request.is404 || doorRequest(request) !== null) return;
    const access = request.routeOptions.config.access ?? DEFAULT_ACCESS;
    await authorizeRequest(control.engine, request.principal, access, request);
  });
}
