/**
 * What every action reaches: the one engine, the door's account and region, the queue
 * directory, the dead-letter mover; and, per call, the input in the JSON protocol's shape, the
 * origin queue URLs are built on, and a signal that aborts when the client goes away or the door
 * closes.
 */
import type { Engine } from '@docket/core';
import type { DeadLetterMover } from './dead-letters.ts';
import { sqsErrors } from './errors.ts';
import { optionalString, type Input } from './input.ts';
import type { QueueDirectory } from './queue-directory.ts';
import { queueNameOfUrl, type Identity } from './queue-url.ts';

export interface SqsContext {
  readonly engine: Engine;
  readonly identity: Identity;
  readonly queues: QueueDirectory;
  readonly deadLetters: DeadLetterMover;
}

export interface ActionCall {
  readonly input: Input;
  /** `http://<host>` as the client reached this listener. */
  readonly origin: string;
  /** The request's path when it is a queue URL's (the query protocol may post to the queue URL). */
  readonly path: string;
  readonly signal: AbortSignal;
}

/** An action answers with its output in the JSON protocol's shape; an empty object has no result. */
export type Action = (ctx: SqsContext, call: ActionCall) => Promise<Record<string, unknown>>;

/** The queue a call names: its QueueUrl, or else the request path. */
export function queueOf(ctx: SqsContext, call: ActionCall): string {
  const url = optionalString(call.input, 'QueueUrl');
  if (url !== undefined && url !== '') return queueNameOfUrl(url, ctx.identity);
  if (/^\/[^/]+\/[^/]+\/?$/.test(call.path)) return queueNameOfUrl(`${call.origin}${call.path}`, ctx.identity);
  throw sqsErrors.missingParameter('QueueUrl');
}
