/**
 * The SDK's side of the consumer stream (`GET /v1/stream`, docs/streams.md): one WebSocket that
 * receives leased jobs and carries their ack, nack and extend, each answered by the server's
 * `ok` (after the engine committed it) or `error` reply, matched by `ref`.
 *
 * States: open → closed (the socket closed, by either side). Invariants: every request is
 * settled exactly once, by its reply or, when the socket closes first, with UnavailableError;
 * jobs reach `onJob` in the order the server sent them.
 */
import {
  UnavailableError,
  type Job,
  type LeasedJob,
  type StreamClientMessage,
  type StreamCloseReason,
} from '@docket/protocol';
import { errorFromWire, type WireError } from '../errors.ts';
import type {
  AckRequest,
  ConsumeRequest,
  ConsumerStream,
  ExtendRequest,
  NackRequest,
  StreamClosed,
} from '../transport.ts';
import { fromWireJob, fromWireLeasedJob, type WireJob } from '../wire.ts';
import { OPEN, webSocketConstructor, type WebSocketConstructor, type WebSocketLike } from './websocket.ts';

/** A client message before its `ref` is assigned. */
type Request = StreamClientMessage extends infer M ? (M extends unknown ? Omit<M, 'ref'> : never) : never;

interface Pending {
  readonly resolve: (job: WireJob | undefined) => void;
  readonly reject: (error: Error) => void;
}

type ServerMessage =
  | { type: 'job'; job: WireJob }
  | { type: 'ok'; ref: number; job?: WireJob }
  | { type: 'error'; ref?: number; id?: string; error: WireError }
  | { type: 'empty' }
  | { type: 'closing'; reason: StreamCloseReason; message: string };

/** The stream URL for a server's base URL: http → ws, https → wss. */
export function streamUrl(base: string, request: ConsumeRequest): string {
  const params = new URLSearchParams({ queues: request.queues.join(','), prefetch: String(request.prefetch) });
  if (request.leaseMs !== undefined) params.set('leaseMs', String(request.leaseMs));
  if (request.worker !== undefined) params.set('worker', request.worker);
  return `${base.replace(/\/+$/, '').replace(/^http/, 'ws')}/v1/stream?${params.toString()}`;
}

/**
 * The subprotocols the stream asks for: `docket`, and the access token as `docket.token.<token>`
 * (a browser's WebSocket cannot send an Authorization header); the server picks `docket`.
 */
function protocolsFor(token: string | undefined): string[] {
  return token === undefined || token === '' ? [] : ['docket', `docket.token.${token}`];
}

/** Opens a consumer stream; rejects with UnavailableError when the connection cannot be made. */
export async function openConsumerStream(
  base: string,
  request: ConsumeRequest,
  WebSocketImpl?: WebSocketConstructor,
  token?: string,
): Promise<ConsumerStream> {
  const Impl = WebSocketImpl ?? (await webSocketConstructor());
  const url = streamUrl(base, request);
  const socket = new Impl(url, protocolsFor(token));
  const stream = new SocketStream(socket, request);
  await new Promise<void>((resolve, reject) => {
    socket.addEventListener('open', () => resolve());
    void stream.closed.then((closed) =>
      reject(new UnavailableError(`cannot open the consumer stream at ${url} (close code ${closed.code})`, { url })),
    );
  });
  return stream;
}

class SocketStream implements ConsumerStream {
  readonly closed: Promise<StreamClosed>;
  readonly #socket: WebSocketLike;
  readonly #request: ConsumeRequest;
  readonly #pending = new Map<number, Pending>();
  #nextRef = 1;
  #closing: { reason: StreamCloseReason; message: string } | undefined;

  constructor(socket: WebSocketLike, request: ConsumeRequest) {
    this.#socket = socket;
    this.#request = request;
    socket.addEventListener('message', (event) => this.#receive(event.data));
    this.closed = new Promise((resolve) => {
      socket.addEventListener('close', ({ code, reason }) => {
        const closed: StreamClosed = {
          code,
          reason: this.#closing?.reason ?? null,
          message: this.#closing?.message ?? (reason || 'the connection closed'),
        };
        const error = new UnavailableError(`the consumer stream closed: ${closed.message}`, { code });
        for (const pending of this.#pending.values()) pending.reject(error);
        this.#pending.clear();
        resolve(closed);
      });
    });
    // Errors surface as a close event right after; the listener keeps them from being thrown.
    socket.addEventListener('error', () => undefined);
  }

  async ack(id: string, request: AckRequest): Promise<Job> {
    const { token, result } = request;
    const job = await this.#call({ type: 'ack', id, token, ...(result === undefined ? {} : { result }) });
    return fromWireJob(job as WireJob);
  }

  async nack(id: string, request: NackRequest): Promise<Job> {
    const job = await this.#call({ type: 'nack', id, ...request });
    return fromWireJob(job as WireJob);
  }

  async extend(id: string, request: ExtendRequest): Promise<LeasedJob> {
    const job = await this.#call({ type: 'extend', id, ...request });
    return fromWireLeasedJob(job as WireJob);
  }

  async setPrefetch(prefetch: number): Promise<void> {
    await this.#call({ type: 'window', prefetch });
  }

  close(): Promise<StreamClosed> {
    this.#socket.close(1000, 'consumer closed');
    return this.closed;
  }

  #call(message: Request): Promise<WireJob | undefined> {
    if (this.#socket.readyState !== OPEN) {
      return Promise.reject(new UnavailableError('the consumer stream is closed'));
    }
    const ref = this.#nextRef;
    this.#nextRef += 1;
    return new Promise((resolve, reject) => {
      this.#pending.set(ref, { resolve, reject });
      this.#socket.send(JSON.stringify({ ...message, ref }));
    });
  }

  #receive(data: unknown): void {
    let message: ServerMessage;
    try {
      message = JSON.parse(String(data)) as ServerMessage;
    } catch {
      this.#request.onError?.(new UnavailableError('the consumer stream sent a message that is not JSON'));
      return;
    }
    switch (message.type) {
      case 'job':
        this.#request.onJob(fromWireLeasedJob(message.job));
        return;
      case 'ok':
        this.#settle(message.ref)?.resolve(message.job);
        return;
      case 'error': {
        const error = errorFromWire(0, message.error);
        const pending = message.ref === undefined ? undefined : this.#settle(message.ref);
        if (pending === undefined) this.#request.onError?.(error);
        else pending.reject(error);
        return;
      }
      case 'empty':
        this.#request.onEmpty?.();
        return;
      case 'closing':
        this.#closing = { reason: message.reason, message: message.message };
        return;
    }
  }

  #settle(ref: number): Pending | undefined {
    const pending = this.#pending.get(ref);
    this.#pending.delete(ref);
    return pending;
  }
}
