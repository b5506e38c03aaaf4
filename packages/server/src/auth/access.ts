/**
 * What each route needs, declared in its route table, and the checks that follow from it. The
 * decision itself is in authorize.ts; this module finds the queues a call touches: a `:queue`
 * parameter, a body's `queues`, or, for calls naming jobs by id, each job's queue (read from
 * the engine, unless the principal holds the action on every queue and no read is needed).
 */
import { JobNotFoundError, type Action } from '@docket/protocol';
import type { Engine } from '@docket/core';
import { authorize, authorizeAll } from './authorize.ts';
import type { Principal } from './principal.ts';
import { grantsAllowAll } from '@docket/protocol';

/**
 * `open`: no token needed (health). `login`: no token needed, the route checks one itself (the
 * dashboard's session routes); unlike `open`, the browser guard applies. `metrics`: the metrics policy. `none`: authenticated, no
 * grant needed (the token introspecting itself). `queue`: the action on `params.queue`.
 * `body-queues`: on each of `body.queues`. `job`: on the queue of job `params.id`. `items`: on
 * the queue of each `body.items[].id`. `item-queues`: on each `body.items[].queue` (enqueue into
 * any queues; the whole request is refused when one item's queue is). `every-queue`: the action on `*`. `some-queue`: any grant
 * of the action (the handler filters what it shows).
 */
export type RouteAccess =
  | { readonly scope: 'open' }
  | { readonly scope: 'login' }
  | { readonly scope: 'metrics' }
  | { readonly scope: 'none' }
  | {
      readonly scope: 'queue' | 'body-queues' | 'job' | 'items' | 'item-queues' | 'every-queue' | 'some-queue';
      readonly action: Action;
    };

/** The queue of each job, for the ids that exist (a missing job is the operation's own 404). */
async function queuesOfJobs(engine: Engine, ids: readonly string[]): Promise<string[]> {
  const queues = await Promise.all(
    [...new Set(ids)].map((id) =>
      engine.get(id).then(
        (job) => job.queue,
        (err: unknown) => {
          if (err instanceof JobNotFoundError) return null;
          throw err;
        },
      ),
    ),
  );
  return queues.filter((queue): queue is string => queue !== null);
}

/**
 * Throws ForbiddenError unless `principal` may do `action` on the queue of each job in `ids`;
 * synchronous when the action is granted on every queue (no job to read).
 */
export function authorizeJobs(
  engine: Engine,
  principal: Principal,
  action: Action,
  ids: readonly string[],
): void | Promise<void> {
  if (grantsAllowAll(principal.grants, action)) return;
  return queuesOfJobs(engine, ids).then((queues) => authorize(principal, action, queues));
}

export interface RequestParts {
  readonly params: unknown;
  readonly body: unknown;
}

function field(value: unknown, name: string): unknown {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[name] : undefined;
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

/**
 * Checks a validated request against its route's access; throws ForbiddenError when refused
 * (or rejects, when the check had to read jobs: the only case that returns a promise).
 */
export function authorizeRequest(
  engine: Engine,
  principal: Principal,
  access: RouteAccess,
  request: RequestParts,
): void | Promise<void> {
  switch (access.scope) {
    case 'open':
    case 'login':
    case 'metrics':
    case 'none':
      return;
    case 'queue':
      authorize(principal, access.action, strings([field(request.params, 'queue')]));
      return;
    case 'body-queues':
      authorize(principal, access.action, strings(field(request.body, 'queues')));
      return;
    case 'job':
      return authorizeJobs(engine, principal, access.action, strings([field(request.params, 'id')]));
    case 'items': {
      const items = field(request.body, 'items');
      const ids = Array.isArray(items) ? strings(items.map((item) => field(item, 'id'))) : [];
      return authorizeJobs(engine, principal, access.action, ids);
    }
    case 'item-queues': {
      const items = field(request.body, 'items');
      authorize(
        principal,
        access.action,
        Array.isArray(items) ? strings(items.map((item) => field(item, 'queue'))) : [],
      );
      return;
    }
    case 'every-queue':
      authorizeAll(principal, access.action);
      return;
    case 'some-queue':
      if (!principal.grants.some((grant) => grant.action === access.action)) authorizeAll(principal, access.action);
      return;
  }
}
