/**
 * Access-token routes: create (the token is in the answer, once), list, revoke. All need admin
 * on every queue, since a token can be given any grant. Registered when the app has a token
 * store (`buildApp({ tokens })`).
 */
import { Type } from '@sinclair/typebox';
import type { TokenAdmin } from '../auth/token-admin.ts';
import { PageQuery, errorResponses } from '../schemas/common.ts';
import { CreateTokenBody, CreatedTokenReply, TokenPage, TokenParams } from '../schemas/tokens.ts';
import { defineRoute, type Route } from './route.ts';

const tags = ['tokens'];
const access = { scope: 'every-queue', action: 'admin' } as const;

export function tokenRoutes(admin: TokenAdmin): Route[] {
  const createToken = defineRoute({
    method: 'POST',
    url: '/v1/tokens',
    body: 'json',
    access,
    schema: {
      operationId: 'createToken',
      summary: 'make an access token with grants (action:pattern) and an optional lifetime; the answer shows it once',
      tags,
      body: CreateTokenBody,
      response: { 201: CreatedTokenReply, ...errorResponses(507) },
    },
    async handler(request, reply) {
      const { name, grants, expiresInMs } = request.body;
      const created = await admin.create({ name, grants, expiresInMs: expiresInMs ?? null });
      void reply.code(201);
      return created;
    },
  });

  const listTokens = defineRoute({
    method: 'GET',
    url: '/v1/tokens',
    body: 'none',
    access,
    schema: {
      operationId: 'listTokens',
      summary: 'list access tokens (never their secrets), a page at a time',
      tags,
      querystring: PageQuery,
      response: { 200: TokenPage, ...errorResponses() },
    },
    async handler(request) {
      return admin.list({ limit: request.query.limit ?? 100, cursor: request.query.cursor ?? null });
    },
  });

  const revokeToken = defineRoute({
    method: 'DELETE',
    url: '/v1/tokens/:id',
    body: 'none',
    access,
    schema: {
      operationId: 'revokeToken',
      summary: 'revoke an access token: refused on every server within a second',
      tags,
      params: TokenParams,
      response: { 204: Type.Null({ description: 'revoked' }), ...errorResponses(404, 507) },
    },
    async handler(request, reply) {
      await admin.revoke(request.params.id);
      return reply.code(204).send();
    },
  });

  return [createToken, listTokens, revokeToken];
}
