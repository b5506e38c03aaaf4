/**
 * The front doors under access control. Their clients cannot send bearer tokens, so each door
 * has a policy (config file `doors:`): `off` (not served), `open` (no token, for loopback or
 * trusted networks), `auth` (the default: any valid token, as Bearer or as the password of HTTP
 * basic auth), or one token (only that token). A door call is checked against the token's grants
 * like a native call: which action and queue each door path means is decided here, as a plain
 * function of method and path.
 */
import type { Action } from '@docket/protocol';

export const DOOR_NAMES = ['emq', 'presque', 'miniqueue'] as const;
export type DoorName = (typeof DOOR_NAMES)[number];
export type DoorPolicy = 'off' | 'open' | 'auth' | { readonly token: string };

export interface DoorCall {
  readonly door: DoorName;
  readonly action: Action;
  /** The queue the call touches; null: every queue (lists, status, control). */
  readonly queue: string | null;
  /** A job named by id, whose queue is checked instead (presque `/j/<id>`). */
  readonly jobId: string | null;
}

const EMQ_ACTIONS: Readonly<Record<string, Action>> = {
  enqueue: 'produce',
  wait: 'consume',
  ack: 'consume',
  nak: 'consume',
  peek: 'read',
  queues: 'read',
};

const PRESQUE_QUEUE_ACTIONS: Readonly<Record<string, Action>> = {
  GET: 'consume',
  POST: 'produce',
  PUT: 'consume',
  DELETE: 'admin',
};

function decode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

function call(door: DoorName, action: Action, queue: string | null, jobId: string | null = null): DoorCall {
  return { door, action, queue: queue === '' ? null : queue, jobId };
}

/** The door call a request is, or null when it is no door's. */
export function doorCallOf(method: string, url: string): DoorCall | null {
  const path = url.split('?', 1)[0] ?? '';
  const [, first = '', ...rest] = path.split('/');
  const tail = decode(rest.join('/'));
  const head = rest[0] === undefined ? '' : decode(rest[0]);
  const emq = EMQ_ACTIONS[first];
  if (emq !== undefined) return call('emq', emq, tail.replace(/\/+$/, ''));
  switch (first) {
    case 'q':
    case 'qb':
      return call('presque', PRESQUE_QUEUE_ACTIONS[method] ?? 'admin', head);
    case 'j':
      return call('presque', 'read', null, head === '' ? null : head);
    case 'w':
    case 'status':
      return call('presque', method === 'GET' ? 'read' : 'consume', null);
    case 'control':
      return call('presque', method === 'GET' ? 'read' : 'admin', null);
    case 'publish':
      return call('miniqueue', 'produce', tail);
    case 'subscribe':
      return call('miniqueue', 'consume', tail);
    default:
      return method === 'DELETE' && rest.length === 0 && first !== ''
        ? call('miniqueue', 'admin', decode(first))
        : null;
  }
}

/** The token of a door request: a Bearer token, or the password of HTTP basic auth. */
export function doorCredential(authorization: string | undefined): string | undefined {
  if (authorization === undefined) return undefined;
  const bearer = /^Bearer +(\S+) *$/i.exec(authorization)?.[1];
  if (bearer !== undefined) return bearer;
  const basic = /^Basic +([A-Za-z0-9+/=]+) *$/i.exec(authorization)?.[1];
  if (basic === undefined) return undefined;
  const decoded = Buffer.from(basic, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon < 0 ? undefined : decoded.slice(colon + 1);
}
