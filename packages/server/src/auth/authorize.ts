/**
 * The authorization decision, as plain functions of a principal (no HTTP framework): a call is
 * allowed when the principal holds its action on every queue it touches, otherwise it is refused
 * with FORBIDDEN naming the action and the first queue refused, before anything changes.
 */
import { ForbiddenError, grantsAllow, grantsAllowAll, type Action } from '@docket/protocol';
import type { Principal } from './principal.ts';

function refuse(principal: Principal, action: Action, queue: string): never {
  const on = queue === '*' ? 'every queue' : `queue ${queue}`;
  throw new ForbiddenError(`token ${principal.name} may not ${action} on ${on}`, { action, queue });
}

/** Throws ForbiddenError unless `principal` may do `action` on each of `queues`. */
export function authorize(principal: Principal, action: Action, queues: readonly string[]): void {
  for (const queue of queues) if (!grantsAllow(principal.grants, action, queue)) refuse(principal, action, queue);
}

/** Throws ForbiddenError unless `principal` may do `action` on every queue (a grant `action:*`). */
export function authorizeAll(principal: Principal, action: Action): void {
  if (!grantsAllowAll(principal.grants, action)) refuse(principal, action, '*');
}

/** Whether `principal` may do `action` on `queue` (for filtering lists). */
export function allows(principal: Principal, action: Action, queue: string): boolean {
  return grantsAllow(principal.grants, action, queue);
}
