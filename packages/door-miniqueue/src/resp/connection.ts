/**
 * One connection to the miniqueue RESP door, request by request, as miniqueue's Redis front end:
 * `PING`, `INFO`, `TOPICS`, `PUBLISH <topic> <value>`, and `SUBSCRIBE <topic>`, which takes the
 * connection over: the next message is sent as a bulk string, then one `ACK`, `NACK`, `BACK` or
 * `DACK [seconds]` settles it, answered `+OK` and followed by the next message. Every engine call
 * goes through the engine (enqueue, listQueues) or the same Subscription the HTTP/2 door uses.
 *
 * Access control follows the door's policy (the guard, `@docket/server`'s DoorGuard): when it
 * needs a login, every command but `AUTH <token>` / `AUTH <user> <token>` is refused with
 * `NOAUTH` until one succeeded (a failed AUTH leaves the connection as it was, as in Redis),
 * and each command is then checked against the token's grants (`NOPERM`), after asking whether
 * the token is still valid, so a revocation takes effect on the next command (and before the
 * next message a subscriber is sent).
 *
 * Invariants: requests are handled one at a time in arrival order (a pipelining client is paused
 * while MAX_QUEUED_REQUESTS wait); requests sent before the client half-closed are still answered,
 * but no message is delivered after it (the client could not settle it); at most one message is
 * held, and whatever ends the connection (the client leaving, a refused command, a protocol
 * error, the door closing) gives it back to the front of its topic before `run()` resolves.
 */
import type { Socket } from 'node:net';
import type { FastifyBaseLogger } from 'fastify';
import { DocketError, ForbiddenError, UnauthenticatedError, isQueueName, type Action } from '@docket/protocol';
import type { Engine } from '@docket/core';
import { OPEN_PRINCIPAL, type DoorGuard, type Principal } from '@docket/server';
import { MAX_DACK_SECONDS } from '../commands.ts';
import { payloadBytes } from '../render.ts';
import type { CloseNotice, StreamMetrics } from '@docket/server/door-support';
import { Subscription, type Settlement } from '../subscription.ts';
import { bulk, error, simple } from './replies.ts';
import { RespProtocolError, RespRequestParser, type RespRequest } from './request-parser.ts';

/** miniqueue's INFO answer, its VERSION file's newline included (as a space). */
export const INFO_REPLY = 'redis_version:miniqueue_v0.8.0\n';
/** A client pipelining more requests than this is paused until they are handled. */
const MAX_QUEUED_REQUESTS = 64;
/** `DACK` without an argument delays by one second, as miniqueue's does. */
const DACK_DEFAULT_SECONDS = 1;
const DACK_SECONDS = /^\d{1,9}$/;
/** TOPICS pages through the queues this many at a time. */
const TOPICS_PAGE = 1000;
/** Redis's own answers, which Redis clients recognise. */
export const NOAUTH = 'NOAUTH Authentication required.';
export const NOAUTH_REVOKED = 'NOAUTH Authentication required: the token was revoked or has expired.';
export const WRONGPASS = 'WRONGPASS invalid username-password pair or user is disabled.';
const AUTH_ARITY = "ERR wrong number of arguments for 'auth' command";

export interface ConnectionContext {
  readonly engine: Engine;
  readonly log: FastifyBaseLogger;
  /** Aborted when the door closes. */
  readonly closing: CloseNotice;
  readonly maxBulkBytes: number;
  /** Counts the subscription, while it lasts, among the open consumer streams of its topic. */
  readonly streams: StreamMetrics;
  /** The door's policy: who may connect and what each command needs. */
  readonly guard: DoorGuard;
}

type Step = 'continue' | 'close';

export class RespConnection {
  readonly #socket: Socket;
  readonly #ctx: ConnectionContext;
  readonly #parser: RespRequestParser;
  /** Requests read and not handled yet; a protocol error, when one came, is the last. */
  readonly #queued: (RespRequest | RespProtocolError)[] = [];
  /** Aborted when the connection closed, failed or the door is closing. */
  readonly #gone = new AbortController();
  /** Aborted when the client half-closed: it sends nothing more. */
  readonly #ended = new AbortController();
  #wake: (() => void) | null = null;
  #subscription: Subscription | null = null;
  /** The topic subscribed to, once SUBSCRIBE was taken. */
  #topic: string | null = null;
  /** Who the connection acts as; null until an AUTH succeeded, when the guard needs one. */
  #principal: Principal | null;

  constructor(socket: Socket, ctx: ConnectionContext) {
    this.#socket = socket;
    this.#ctx = ctx;
    this.#parser = new RespRequestParser(ctx.maxBulkBytes);
    this.#principal = ctx.guard.needsLogin ? null : OPEN_PRINCIPAL;
  }

  /** Serves the connection until it ends; resolves once a held message has been given back. */
  async run(): Promise<void> {
    const leave = (): void => this.#leave();
    this.#socket.on('data', (chunk: Buffer) => this.#read(chunk));
    this.#socket.on('end', () => {
      this.#ended.abort();
      this.#wake?.();
    });
    this.#socket.on('close', leave);
    this.#socket.on('error', leave);
    const detach = this.#ctx.closing.on(leave);
    try {
      for (let request = await this.#next(); request !== null; request = await this.#next()) {
        if ((await this.#handle(request)) === 'close') break;
      }
    } catch (err) {
      this.#ctx.log.error({ err }, 'miniqueue RESP connection failed');
    } finally {
      detach();
      await this.#subscription?.release().catch((err: unknown) => {
        this.#ctx.log.warn({ err }, 'miniqueue could not give the held message back: its lease will return it');
      });
      if (this.#topic !== null) this.#ctx.streams.closed([this.#topic]);
      // The listener allows half-open sockets (so a half-closed client still gets its answers):
      // once the replies are flushed, the socket is closed whole.
      this.#socket.end(() => this.#socket.destroy());
    }
  }

  #read(chunk: Buffer): void {
    const { requests, error: refused } = this.#parser.push(chunk);
    for (const request of requests) this.#queued.push(request);
    if (refused !== null) {
      // Answered in turn, after the requests before it; nothing after it is read.
      this.#queued.push(refused);
      this.#socket.pause();
    } else if (this.#queued.length >= MAX_QUEUED_REQUESTS) this.#socket.pause();
    this.#wake?.();
  }

  #leave(): void {
    if (this.#gone.signal.aborted) return;
    this.#gone.abort();
    this.#wake?.();
  }

  /** The next request (or the protocol error in its place), or null once the connection is over. */
  async #next(): Promise<RespRequest | RespProtocolError | null> {
    while (this.#queued.length === 0 && !this.#gone.signal.aborted && !this.#ended.signal.aborted) {
      await new Promise<void>((resolve) => (this.#wake = resolve));
      this.#wake = null;
    }
    if (this.#gone.signal.aborted) return null;
    const request = this.#queued.shift() ?? null;
    if (request === null) return null;
    if (
      this.#queued.length < MAX_QUEUED_REQUESTS &&
      this.#socket.isPaused() &&
      !(request instanceof RespProtocolError)
    ) {
      this.#socket.resume();
    }
    return request;
  }

  #write(reply: Buffer): void {
    if (!this.#socket.destroyed) this.#socket.write(reply);
  }

  async #handle(request: RespRequest | RespProtocolError): Promise<Step> {
    if (request instanceof RespProtocolError) {
      this.#write(error(`ERR Protocol error: ${request.message}`));
      return 'close';
    }
    const name = (request[0] ?? Buffer.alloc(0)).toString('utf8').toUpperCase();
    if (name === 'AUTH' && this.#subscription === null) return this.#auth(request);
    const refused = await this.#unauthenticated();
    if (refused !== null) {
      this.#write(error(refused));
      return this.#subscription === null ? 'continue' : 'close';
    }
    if (this.#subscription !== null) return this.#settle(name, request);
    try {
      return await this.#command(name, request);
    } catch (err) {
      this.#write(error(this.#refusal(err, `error running ${name.toLowerCase()}`)));
      return 'continue';
    }
  }

  async #auth(request: RespRequest): Promise<Step> {
    const credential = request.length === 2 || request.length === 3 ? request[request.length - 1] : undefined;
    if (credential === undefined) {
      this.#write(error(AUTH_ARITY));
      return 'continue';
    }
    try {
      // `AUTH <user> <token>` (Redis 6): the user name is not checked, as HTTP basic auth's is not.
      this.#principal = await this.#ctx.guard.login(credential.toString('utf8'), this.#socket.remoteAddress ?? '');
      this.#write(simple('OK'));
    } catch (err) {
      this.#write(error(err instanceof UnauthenticatedError ? WRONGPASS : this.#refusal(err, 'error authenticating')));
    }
    return 'continue';
  }

  /** Why the connection may not run a command now (NOAUTH), or null. */
  async #unauthenticated(): Promise<string | null> {
    if (!this.#ctx.guard.needsLogin) return null;
    if (this.#principal === null) return NOAUTH;
    if (await this.#ctx.guard.stillValid(this.#principal)) return null;
    this.#principal = null;
    return NOAUTH_REVOKED;
  }

  /** Throws ForbiddenError unless the connection may `action` on `topic`. */
  #authorize(action: Action, topic: string): void {
    this.#ctx.guard.authorize(this.#principal ?? OPEN_PRINCIPAL, action, topic);
  }

  async #command(name: string, request: RespRequest): Promise<Step> {
    switch (name) {
      case 'PING':
        this.#write(simple('pong'));
        return 'continue';
      case 'INFO':
        this.#write(simple(INFO_REPLY));
        return 'continue';
      case 'TOPICS':
        this.#write(simple(`[${(await this.#topics()).join(' ')}]`));
        return 'continue';
      case 'PUBLISH':
        return this.#publish(request);
      case 'SUBSCRIBE':
        return this.#subscribe(request);
      default:
        this.#write(error(`unknown command '${(request[0] ?? Buffer.alloc(0)).toString('utf8')}'`));
        return 'continue';
    }
  }

  /** The queues the connection may read (a token without any read grant is refused). */
  async #topics(): Promise<string[]> {
    const principal = this.#principal ?? OPEN_PRINCIPAL;
    const { guard } = this.#ctx;
    if (guard.needsLogin && !principal.grants.some((grant) => grant.action === 'read'))
      guard.authorize(principal, 'read', null);
    const names: string[] = [];
    let cursor: string | null = null;
    do {
      const page = await this.#ctx.engine.listQueues({
        limit: TOPICS_PAGE,
        ...(cursor === null ? {} : { cursor }),
      });
      for (const queue of page.items) if (guard.allows(principal, 'read', queue.name)) names.push(queue.name);
      cursor = page.cursor;
    } while (cursor !== null);
    return names;
  }

  /** The topic argument, or null after answering why it is not one. */
  #topicOf(raw: Buffer): string | null {
    const topic = raw.toString('utf8');
    if (isQueueName(topic)) return topic;
    this.#write(
      error(
        'INVALID_ARGUMENT invalid topic: expected 1 to 200 characters of A-Z, a-z, 0-9, ".", "_", ":", "/" or "-", not only dots',
      ),
    );
    return null;
  }

  async #publish(request: RespRequest): Promise<Step> {
    const [, rawTopic, value] = request;
    if (request.length !== 3 || rawTopic === undefined || value === undefined) {
      this.#write(error('invalid number of args, want: 3'));
      return 'continue';
    }
    const topic = this.#topicOf(rawTopic);
    if (topic === null) return 'continue';
    this.#authorize('produce', topic);
    try {
      await this.#ctx.engine.enqueue(topic, { data: new Uint8Array(value) });
    } catch (err) {
      this.#write(error(this.#refusal(err, 'error publishing to broker')));
      return 'continue';
    }
    this.#write(simple('OK'));
    return 'continue';
  }

  async #subscribe(request: RespRequest): Promise<Step> {
    const [, rawTopic] = request;
    if (request.length !== 2 || rawTopic === undefined) {
      this.#write(error('invalid number of args, want: 2'));
      return 'continue';
    }
    const topic = this.#topicOf(rawTopic);
    if (topic === null) return 'continue';
    this.#authorize('consume', topic);
    this.#subscription = new Subscription({
      engine: this.#ctx.engine,
      topic,
      onExtendError: (err) => this.#ctx.log.warn({ err }, 'miniqueue could not extend a held message'),
    });
    this.#topic = topic;
    this.#ctx.streams.opened([topic]);
    return this.#deliver();
  }

  async #settle(name: string, request: RespRequest): Promise<Step> {
    const how = settlementOf(name, request);
    if (typeof how === 'string') {
      this.#write(error(how));
      return 'close';
    }
    try {
      if (this.#topic !== null) this.#authorize('consume', this.#topic);
      await this.#subscription?.settle(how);
    } catch (err) {
      this.#write(error(this.#refusal(err, `error ${name}ing message`)));
      return 'close';
    }
    this.#write(simple('OK'));
    return this.#deliver();
  }

  /** Waits for the topic's next message and sends it; closes when the client went or half-closed first. */
  async #deliver(): Promise<Step> {
    if (this.#ended.signal.aborted) return 'close';
    const job = await this.#subscription?.next(AbortSignal.any([this.#gone.signal, this.#ended.signal]));
    if (job === null || job === undefined) return 'close';
    const refused = await this.#unauthenticated();
    if (refused !== null) {
      this.#write(error(refused));
      return 'close';
    }
    this.#write(bulk(payloadBytes(job)));
    return 'continue';
  }

  /**
   * A Docket refusal as `<CODE> <message>` (a grant refused as Redis's `NOPERM`); anything else is
   * logged and answered with miniqueue's text.
   */
  #refusal(err: unknown, fallback: string): string {
    if (err instanceof ForbiddenError) return `NOPERM ${err.message}`;
    if (err instanceof DocketError && err.code !== 'INTERNAL') return `${err.code} ${err.message}`;
    this.#ctx.log.error({ err }, `miniqueue RESP door: ${fallback}`);
    return fallback;
  }
}

/** The settlement a subscribed client asked for, or the refusal (which closes the connection). */
function settlementOf(name: string, request: RespRequest): Settlement | string {
  const argument = request[1]?.toString('latin1');
  if (name === 'DACK' && request.length <= 2) {
    const seconds = argument === undefined ? DACK_DEFAULT_SECONDS : Number(argument);
    if (argument !== undefined && (!DACK_SECONDS.test(argument) || seconds > MAX_DACK_SECONDS))
      return 'invalid command';
    return { kind: 'delay', delayMs: seconds * 1000 };
  }
  if (request.length !== 1) return 'invalid command';
  switch (name) {
    case 'ACK':
      return { kind: 'ack' };
    case 'NACK':
      return { kind: 'front' };
    case 'BACK':
      return { kind: 'back' };
    default:
      return 'invalid ack command';
  }
}
