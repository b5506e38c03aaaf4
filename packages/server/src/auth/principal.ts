/**
 * Who a request acts as: a token's id, name and grants. With auth off every request acts as the
 * open principal, which holds every action on every queue.
 */
import { ACTIONS, type Grant } from '@docket/protocol';

export interface Principal {
  /** The token id; `admin` for the bootstrap admin token, `open` when auth is off. */
  readonly id: string;
  readonly name: string;
  readonly grants: readonly Grant[];
}

export const ALL_GRANTS: readonly Grant[] = ACTIONS.map((action) => ({ action, pattern: '*' }));

export const OPEN_PRINCIPAL: Principal = { id: 'open', name: 'open', grants: ALL_GRANTS };
