/**
 * Access grants: what a token may do. A grant is an action on a queue-name pattern, written
 * `action:pattern` (`produce:emails`, `consume:billing.*`, `read:*`). In a pattern `*` stands for
 * any run of characters (none included) and every other character stands for itself, so
 * `billing.*` matches `billing.eu` and `billing.eu.late` but not `billing`. Actions do not imply
 * one another: `admin` on a queue does not let a token enqueue to it.
 */
import { InvalidArgumentError } from './errors.ts';

/** produce: enqueue; consume: lease, ack, nack, extend, stream; read: get, list, stats, events; admin: the rest. */
export const ACTIONS = ['produce', 'consume', 'read', 'admin'] as const;
export type Action = (typeof ACTIONS)[number];

export interface Grant {
  readonly action: Action;
  readonly pattern: string;
}

/** Queue-name characters plus `*`, as long as a queue name. */
const PATTERN_SHAPE = /^[A-Za-z0-9._:/*-]{1,200}$/;

export function isAction(text: string): text is Action {
  return (ACTIONS as readonly string[]).includes(text);
}

/** Parses `action:pattern`; InvalidArgumentError (field `grants`) when it is not one. */
export function parseGrant(text: string): Grant {
  const colon = text.indexOf(':');
  const action = colon < 0 ? text : text.slice(0, colon);
  const pattern = colon < 0 ? '' : text.slice(colon + 1);
  if (!isAction(action)) {
    throw new InvalidArgumentError(
      `invalid grant ${JSON.stringify(text.slice(0, 220))}: expected action:pattern with action one of ${ACTIONS.join(', ')}`,
      { field: 'grants' },
    );
  }
  if (!PATTERN_SHAPE.test(pattern)) {
    throw new InvalidArgumentError(
      `invalid grant ${JSON.stringify(text.slice(0, 220))}: the pattern is 1 to 200 queue-name characters or *`,
      { field: 'grants' },
    );
  }
  return { action, pattern };
}

export function formatGrant(grant: Grant): string {
  return `${grant.action}:${grant.pattern}`;
}

/** Whether `pattern` matches the whole of `queue` (`*` matches any run of characters). */
export function patternMatches(pattern: string, queue: string): boolean {
  const parts = pattern.split('*');
  const first = parts[0] ?? '';
  if (parts.length === 1) return pattern === queue;
  const last = parts[parts.length - 1] ?? '';
  if (queue.length < first.length + last.length || !queue.startsWith(first) || !queue.endsWith(last)) return false;
  let at = first.length;
  const end = queue.length - last.length;
  for (const middle of parts.slice(1, -1)) {
    const found = queue.indexOf(middle, at);
    if (found < 0 || found + middle.length > end) return false;
    at = found + middle.length;
  }
  return true;
}

/** Whether any of `grants` allows `action` on `queue`. */
export function grantsAllow(grants: readonly Grant[], action: Action, queue: string): boolean {
  return grants.some((grant) => grant.action === action && patternMatches(grant.pattern, queue));
}

/** Whether `grants` allow `action` on every queue (a grant `action:*`). */
export function grantsAllowAll(grants: readonly Grant[], action: Action): boolean {
  return grants.some((grant) => grant.action === action && grant.pattern === '*');
}
