/**
 * One subscribe stream, command by command, as miniqueue's loop: read a command, act on it
 * through the Subscription (engine calls only), then wait for and deliver the next message.
 * Commands are taken strictly in order; the next one is acted on only after the previous
 * delivery, so the protocol alternates as in miniqueue.
 *
 * Docket's differences (docs/doors/miniqueue.md): ACK with nothing held acts as INIT and deletes
 * nothing; every way out (client gone, body ended, decode error, bad DACK, store error) first
 * gives the held message back to the front, never leaving it in flight; once the body has ended
 * and no command is left, nothing more is delivered (the client could not answer it).
 */
import type { FastifyBaseLogger } from 'fastify';
import type { LeasedJob } from '@docket/protocol';
import type { CommandStream } from './command-stream.ts';
import { MESSAGES, parseCommand, type Command } from './commands.ts';
import type { StreamWriter } from './stream-writer.ts';
import type { Settlement, Subscription } from './subscription.ts';

export interface SessionParts {
  readonly subscription: Subscription;
  readonly commands: CommandStream;
  readonly out: StreamWriter;
  /** Aborted when the client went away or the server is closing. */
  readonly gone: AbortSignal;
  readonly log: FastifyBaseLogger;
}

type Step = 'continue' | 'end';

const SETTLEMENT_ERROR = { ack: MESSAGES.ack, nack: MESSAGES.nack, back: MESSAGES.back, dack: MESSAGES.back } as const;

export async function runSession(parts: SessionParts): Promise<void> {
  try {
    for (;;) {
      const item = await parts.commands.next(parts.gone);
      if (item.kind === 'end') return;
      if (item.kind === 'invalid') {
        parts.out.error(MESSAGES.decoding);
        return;
      }
      if ((await act(parts, parseCommand(item.text))) === 'end') return;
    }
  } catch (err) {
    parts.log.error({ err }, 'miniqueue subscription failed');
  } finally {
    await parts.subscription.release().catch((err: unknown) => {
      parts.log.warn({ err }, 'miniqueue could not give the held message back: its lease will return it');
    });
  }
}

async function act(parts: SessionParts, command: Command): Promise<Step> {
  const { subscription, out } = parts;
  switch (command.kind) {
    case 'refused':
      out.error(command.error);
      return command.ends ? 'end' : 'continue';
    case 'init':
      if (subscription.holding) {
        out.error(MESSAGES.nextValue);
        return 'continue';
      }
      return deliver(parts);
    case 'ack':
      return settleThenDeliver(parts, 'ack', { kind: 'ack' });
    case 'nack':
      return settleThenDeliver(parts, 'nack', { kind: 'front' });
    case 'back':
      return settleThenDeliver(parts, 'back', { kind: 'back' });
    case 'dack':
      return settleThenDeliver(parts, 'dack', { kind: 'delay', delayMs: command.seconds * 1000 });
  }
}

async function settleThenDeliver(
  parts: SessionParts,
  kind: keyof typeof SETTLEMENT_ERROR,
  how: Settlement,
): Promise<Step> {
  if (!parts.subscription.holding && kind !== 'ack') {
    parts.out.error(SETTLEMENT_ERROR[kind]);
    return 'end';
  }
  // An ACK and the lease of the next message go to the store together (one commit on SQLite):
  // the acked message can be no candidate for that lease. A message given back must be in
  // place before the next lease. The next message is written only once the settlement succeeded.
  const settling = parts.subscription.settle(how).then(
    () => null,
    (err: unknown) => ({ err }),
  );
  const cancel = new AbortController();
  const leasing = how.kind === 'ack' ? leaseNext(parts, cancel.signal) : undefined;
  const failed = await settling;
  if (failed !== null) {
    cancel.abort();
    await leasing;
    parts.log.warn({ err: failed.err }, `miniqueue ${kind.toUpperCase()} failed`);
    parts.out.error(SETTLEMENT_ERROR[kind]);
    return 'end';
  }
  return write(parts, await (leasing ?? leaseNext(parts)));
}

async function deliver(parts: SessionParts): Promise<Step> {
  return write(parts, await leaseNext(parts));
}

type Next = { readonly job: LeasedJob | null } | { readonly err: unknown };

/** Waits for the topic's next message (held from then on), or why not. */
async function leaseNext(parts: SessionParts, cancel?: AbortSignal): Promise<Next> {
  const { commands, gone } = parts;
  if (commands.drained.aborted) return { job: null };
  try {
    const stops = cancel === undefined ? [gone, commands.drained] : [gone, commands.drained, cancel];
    return { job: await parts.subscription.next(AbortSignal.any(stops)) };
  } catch (err) {
    return { err };
  }
}

function write(parts: SessionParts, next: Next): Step {
  if ('err' in next) {
    parts.log.warn({ err: next.err }, 'miniqueue could not get the next message');
    parts.out.error(MESSAGES.nextValue);
  } else if (next.job !== null) parts.out.message(next.job);
  return 'continue';
}
