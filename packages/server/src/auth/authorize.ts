/**
 * The authorization decision, as plain functions of a principal (no HTTP framework): a call is
 * allowed when the principal holds its action on every queue it touches, otherwise it is refused
 * with FORBIDDEN naming the action and the first queue refused, before anything changes.
 */
import { ForbiddenError, grantsAllow, grantsAllowAll, type Action } from '@docket/protocol';
import type { Principal } from './principal.ts';

/** Queue names remembered per principal and action; past this the map starts over. */
const MAX_DECISIONS = 1_000;

/**
 * Each principal's decisions by action and queue name. A principal and its grants never change
 * (the authenticator makes a new one whenever it reloads a token record), so a remembered
 * decision is the decision; the WeakMap lets go of it with the principal.
 */
const decisions = new WeakMap<Principal, Partial<Record<Action, Map<string, boolean>>>>();

function decide(principal: Principal, action: Action, queue: string): boolean {
  let byAction = decisions.get(principal);
  if (byAction === undefined) {
    byAction = {};
    decisions.set(principal, byAction);
  }
  let byQueue = byAction[action];
  if (byQueue === undefined) {
    byQueue = new Map();
    byAction[action] = byQueue;
  }
  let allowed = byQueue.get(queue);
  if (allowed === undefined) {
    allowed = grantsAllow(principal.grants, action, queue);
    if (byQueue.size >= MAX_DECISIONS) byQueue.clear();
    byQueue.set(queue, allowed);
  }
  return allowed;
}

function refuse(principal: Principal, action: Action, queue: string): never {
  const on = queue === '*' ? 'every queue' : `queue ${queue}`;
  throw new ForbiddenError(`token ${principal.name} may not ${action} on ${on}`, { action, queue });
}

/** Throws ForbiddenError unless `principal` may do `action` on each of `queues`. */
export function authorize(principal: Principal, action: Action, queues: readonly string[]): void {
  for (const queue of queues) if (!decide(principal, action, queue)) refuse(principal, action, queue);
}

/** Throws ForbiddenError unless `principal` may do `action` on every queue (a grant `action:*`). */
export function authorizeAll(principal: Principal, action: Action): void {
  if (!grantsAllowAll(principal.grants, action)) refuse(principal, action, '*');
}

/** Whether `principal` may do `action` on `queue` (for filtering lists). */
export function allows(principal: Principal, action: Action, queue: string): boolean {
  return decide(principal, action, queue);
}
