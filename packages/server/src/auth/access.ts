/**
 * What each route needs, declared in its route table, and the checks that follow from it. The
 * decision itself is in authorize.ts; this module finds the queues a call touches: a `:queue`
 * parameter, a body's `queues`, or, for calls naming jobs by id, each job's queue (job-queues.ts:
 * remembered for a lease this server handed out, read otherwise, and not needed at all when the
 * principal holds the action on every queue).
 */
import { grantsAllowAll, type Action } from '@docket/protocol';
import { authorize, authorizeAll } from './authorize.ts';
import type { JobQueues, NamedJob } from './job-queues.ts';
import type { Principal } from './principal.ts';

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

/**
 * Throws ForbiddenError unless `principal` may do `action` on the queue of each job `named`;
 * synchronous when the action is granted on every queue or each job's queue is remembered.
 */
export function authorizeJobs(
  jobs: JobQueues,
  principal: Principal,
  action: Action,
  named: readonly NamedJob[],
): void | Promise<void> {
  if (grantsAllowAll(principal.grants, action)) return;
  const queues = jobs.queuesOf(named);
  if (queues instanceof Promise) return queues.then((read) => authorize(principal, action, read));
  authorize(principal, action, queues);
}

export interface RequestParts {
  readonly params: unknown;
  readonly body: unknown;
}

function field(value: unknown, name: string): unknown {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[name] : undefined;
}

/** The job a request part names: its `id` and, when it presents one, its `lease` token. */
function namedJob(id: unknown, withLease: unknown): NamedJob[] {
  if (typeof id !== 'string') return [];
  const lease = field(withLease, 'lease');
  return [{ id, lease: typeof lease === 'string' ? lease : undefined }];
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

/**
 * Checks a validated request against its route's access; throws ForbiddenError when refused
 * (or rejects, when the check had to read jobs: the only case that returns a promise).
 */
export function authorizeRequest(
  jobs: JobQueues,
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
      return authorizeJobs(jobs, principal, access.action, namedJob(field(request.params, 'id'), request.body));
    case 'items': {
      const items = field(request.body, 'items');
      const named = Array.isArray(items) ? items.flatMap((item) => namedJob(field(item, 'id'), item)) : [];
      return authorizeJobs(jobs, principal, access.action, named);
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
