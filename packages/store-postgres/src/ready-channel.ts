/**
 * The NOTIFY channel and payload that carry "jobs may be ready" between the stores sharing one
 * schema. The channel is derived from the schema (a hash, so any schema name gives a valid,
 * short channel name); the payload names the sending store instance, so a listener can ignore
 * its own notifications.
 */
import { createHash } from 'node:crypto';

export function readyChannel(schema: string): string {
  return `docket_ready_${createHash('sha256').update(schema).digest('hex').slice(0, 24)}`;
}

export interface ReadyMessage {
  readonly node: string;
  readonly queue: string;
  readonly count: number;
}

export function encodeReady(message: ReadyMessage): string {
  return JSON.stringify([message.node, message.queue, message.count]);
}

/** Null for anything that is not a well-formed message (another program may NOTIFY the channel). */
export function decodeReady(payload: string | undefined): ReadyMessage | null {
  if (payload === undefined) return null;
  let value: unknown;
  try {
    value = JSON.parse(payload);
  } catch {
    return null;
  }
  if (!Array.isArray(value) || value.length !== 3) return null;
  const [node, queue, count] = value as unknown[];
  if (typeof node !== 'string' || typeof queue !== 'string' || typeof count !== 'number') return null;
  return { node, queue, count };
}
