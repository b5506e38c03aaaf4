/**
 * Door policies on the fastify app (door-access.ts): for a request that a door's route serves,
 * `off` answers 404, `open` lets it through, `auth` and a door token authenticate the token
 * (Bearer or HTTP basic auth) and check the call's action on its queue; a wrong door token is
 * counted and rate-limited per address like any failed authentication (failure-accounting.ts). The native routes'
 * hooks (auth-hooks.ts) leave door requests to this one.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { RouteNotFoundError, UnauthenticatedError } from '@docket/protocol';
import type { Engine } from '@docket/core';
import { authorizeJobs } from './access.ts';
import type { Authenticator } from './authenticator.ts';
import { authorize, authorizeAll } from './authorize.ts';
import { doorCallOf, doorCredential, type DoorCall, type DoorName, type DoorPolicy } from './door-access.ts';
import type { FailureAccounting } from './failure-accounting.ts';

export type DoorPolicies = Readonly<Partial<Record<DoorName, DoorPolicy>>>;

/** The door call of a request served by a door's route (no declared access), or null. */
export function doorRequest(request: FastifyRequest): DoorCall | null {
  if (request.routeOptions.config.access !== undefined || request.is404) return null;
  return doorCallOf(request.method, request.url);
}

async function check(
  request: FastifyRequest,
  call: DoorCall,
  policy: DoorPolicy,
  authenticator: Authenticator,
  engine: Engine,
  failures: FailureAccounting,
): Promise<void> {
  if (policy === 'off') throw new RouteNotFoundError(request.method, (request.url.split('?')[0] ?? '').slice(0, 200));
  if (policy === 'open' || (policy === 'auth' && !authenticator.enabled)) return;
  const given = doorCredential(request.headers.authorization);
  if (policy !== 'auth') {
    failures.matchSecret(
      given,
      policy.token,
      request.ip,
      `the ${call.door} door takes its own token, as HTTP basic auth or Bearer`,
    );
  }
  if (!authenticator.enabled) return;
  const principal = await authenticator.authenticate(given === undefined ? undefined : `Bearer ${given}`, request.ip);
  if (call.jobId !== null) await authorizeJobs(engine, principal, call.action, [call.jobId]);
  else if (call.queue === null) authorizeAll(principal, call.action);
  else authorize(principal, call.action, [call.queue]);
}

export function installDoorHooks(
  app: FastifyInstance,
  policies: DoorPolicies,
  authenticator: Authenticator,
  engine: Engine,
  failures: FailureAccounting,
): void {
  if (!authenticator.enabled && Object.keys(policies).length === 0) return;
  app.addHook('onRequest', async (request, reply) => {
    const call = doorRequest(request);
    if (call === null) return;
    try {
      await check(request, call, policies[call.door] ?? 'auth', authenticator, engine, failures);
    } catch (err) {
      if (err instanceof UnauthenticatedError) void reply.header('www-authenticate', 'Basic realm="docket"');
      throw err;
    }
  });
}
