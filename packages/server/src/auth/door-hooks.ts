/**
 * Door policies on the fastify app (door-access.ts): for a request that a door's route serves,
 * `off` answers 404, `open` lets it through, `auth` and a door token authenticate the token
 * (Bearer or HTTP basic auth) and check the call's action on its queue; a wrong door token is
 * counted and rate-limited per address like any failed authentication (failure-accounting.ts). While
 * auth is on the auth hook (auth-hooks.ts) runs checkDoor for door requests; this module's own
 * hook exists only for door policies while auth is off.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { RouteNotFoundError, UnauthenticatedError } from '@docket/protocol';
import { authorizeJobs, type RouteAccess } from './access.ts';
import type { Authenticator } from './authenticator.ts';
import { authorize, authorizeAll } from './authorize.ts';
import { doorCallOf, doorCredential, type DoorCall, type DoorName, type DoorPolicy } from './door-access.ts';
import type { FailureAccounting } from './failure-accounting.ts';
import type { JobQueues } from './job-queues.ts';

export type DoorPolicies = Readonly<Partial<Record<DoorName, DoorPolicy>>>;

/** The door call of a request served by a door's route (no declared `access`), or null. */
export function doorRequest(request: FastifyRequest, access: RouteAccess | undefined): DoorCall | null {
  if (access !== undefined || request.is404) return null;
  return doorCallOf(request.method, request.url);
}

async function check(
  request: FastifyRequest,
  call: DoorCall,
  policy: DoorPolicy,
  authenticator: Authenticator,
  jobs: JobQueues,
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
  if (call.jobId !== null) await authorizeJobs(jobs, principal, call.action, [{ id: call.jobId, lease: undefined }]);
  else if (call.queue === null) authorizeAll(principal, call.action);
  else authorize(principal, call.action, [call.queue]);
}

/** Checks a door request against its door's policy (throws, or rejects, when refused). */
export async function checkDoor(
  request: FastifyRequest,
  reply: FastifyReply,
  call: DoorCall,
  control: DoorControl,
): Promise<void> {
  try {
    await check(
      request,
      call,
      control.policies[call.door] ?? 'auth',
      control.authenticator,
      control.jobs,
      control.failures,
    );
  } catch (err) {
    if (err instanceof UnauthenticatedError) void reply.header('www-authenticate', 'Basic realm="docket"');
    throw err;
  }
}

export interface DoorControl {
  readonly policies: DoorPolicies;
  readonly authenticator: Authenticator;
  /** Each job's queue, for calls that name a job by id. */
  readonly jobs: JobQueues;
  readonly failures: FailureAccounting;
}

/**
 * The door hook while auth is off and some door has a policy; while auth is on, the auth hook
 * (auth-hooks.ts) calls checkDoor itself, so a request passes one hook, not two.
 */
export function installDoorHooks(app: FastifyInstance, control: DoorControl): void {
  if (control.authenticator.enabled || Object.keys(control.policies).length === 0) return;
  app.addHook('onRequest', (request, reply, done) => {
    const call = doorRequest(request, request.routeOptions.config.access);
    if (call === null) done();
    else checkDoor(request, reply, call, control).then(() => done(), done);
  });
}
