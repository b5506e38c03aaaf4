/**
 * The dashboard's session routes: log in with a token (`POST /v1/session` answers with the
 * HttpOnly session cookie and the CSRF cookie, auth/session-cookie.ts), ask who the session is
 * (`GET`), log out (`DELETE`: both cookies expired). A login checks the token exactly as a call
 * with it would (failures counted and rate-limited) and sets no cookie unless it is valid.
 */
import { Type } from '@sinclair/typebox';
import { InvalidArgumentError, formatGrant } from '@docket/protocol';
import type { FastifyRequest } from 'fastify';
import { clearedCookies, sessionCookies, sessionTokenOf } from '../auth/session-cookie.ts';
import type { Principal } from '../auth/principal.ts';
import { errorResponses } from '../schemas/common.ts';
import { LoginBody, SessionReply } from '../schemas/session.ts';
import { defineRoute, type Route } from './route.ts';

const tags = ['session'];

function secure(request: FastifyRequest): boolean {
  return request.protocol === 'https';
}

function tokenView(principal: Principal) {
  return { id: principal.id, name: principal.name, grants: principal.grants.map(formatGrant) };
}

const login = defineRoute({
  method: 'POST',
  url: '/v1/session',
  body: 'json',
  access: { scope: 'login' },
  schema: {
    operationId: 'login',
    summary: "the dashboard's login: checks the token and answers with its HttpOnly session cookie and the CSRF cookie",
    tags,
    body: LoginBody,
    response: { 201: SessionReply, ...errorResponses(429) },
  },
  async handler(request, reply, ctx) {
    if (!ctx.authenticator.enabled) {
      throw new InvalidArgumentError('auth is off on this server: the dashboard needs no login', { field: 'token' });
    }
    const { token } = request.body;
    const principal = await ctx.authenticator.authenticate(`Bearer ${token}`, request.ip);
    void reply.code(201).header('set-cookie', sessionCookies(token, secure(request)));
    return { session: { auth: true, token: tokenView(principal), via: 'cookie' } };
  },
});

const whoami = defineRoute({
  method: 'GET',
  url: '/v1/session',
  body: 'none',
  access: { scope: 'none' },
  schema: {
    operationId: 'getSession',
    summary: 'whether auth is on, and the token this request acts as (the session cookie or a Bearer token)',
    tags,
    response: { 200: SessionReply, ...errorResponses(429) },
  },
  handler(request, _reply, ctx) {
    if (!ctx.authenticator.enabled) return Promise.resolve({ session: { auth: false, token: null, via: null } });
    const cookie = request.headers.authorization === undefined && sessionTokenOf(request.headers) !== undefined;
    const via = cookie ? 'cookie' : 'bearer';
    return Promise.resolve({ session: { auth: true, token: tokenView(request.principal), via } });
  },
});

const logout = defineRoute({
  method: 'DELETE',
  url: '/v1/session',
  body: 'none',
  access: { scope: 'login' },
  schema: {
    operationId: 'logout',
    summary: "the dashboard's logout: expires the session and CSRF cookies (the token itself stays valid)",
    tags,
    response: { 204: Type.Null({ description: 'logged out' }), ...errorResponses() },
  },
  async handler(request, reply) {
    return reply
      .code(204)
      .header('set-cookie', clearedCookies(secure(request)))
      .send();
  },
});

export const sessionRoutes: readonly Route[] = [login, whoami, logout];
