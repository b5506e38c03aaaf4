/**
 * The cleartext listener: HTTP/1.1 as Node's http server serves it, and HTTP/2 with prior
 * knowledge (h2c) on the same port. Each new connection is held until its first bytes show
 * which protocol it speaks: the HTTP/2 connection preface (`PRI * HTTP/2.0…`, RFC 9113 3.4)
 * goes to an HTTP/2 server that never listens itself, anything else to the HTTP/1.1 parser.
 * The bytes read are put back on the socket first, so either parser sees the whole stream.
 *
 * Invariants: a connection is sniffed once and handed to exactly one parser, or destroyed when
 * it sends nothing recognisable within the headers timeout or the server closes (then it is
 * closed with the other HTTP/1.1 connections left, see closing-connections.ts). The HTTP/1.1
 * timeouts (headers, request, keep-alive) apply as before; HTTP/1.1 connections close as
 * closing-connections.ts says, HTTP/2 sessions get GOAWAY when the server closes (see
 * http2-sessions.ts). Upgrade requests (`h2c` via `Upgrade:`) are not HTTP/2 here: they stay
 * HTTP/1.1.
 */
import { Server as HttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createHttp2Server, type Http2Server } from 'node:http2';
import type { Socket } from 'node:net';
import type { ServerTimeouts } from '../limits.ts';
import { ClosingConnections } from './closing-connections.ts';
import { trackHttp2Sessions, type Http2Sessions } from './http2-sessions.ts';

/** The HTTP/2 client connection preface. */
const PREFACE = Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n', 'latin1');

export type RequestHandler = (request: IncomingMessage, response: ServerResponse) => void;

export class CleartextServer extends HttpServer {
  readonly #h2c: Http2Server;
  readonly #sessions: Http2Sessions;
  readonly #sniffing = new Set<Socket>();
  readonly #sniffTimeoutMs: number;
  readonly #closing: ClosingConnections;

  constructor(handler: RequestHandler, timeouts: ServerTimeouts) {
    let closeRemaining = (): void => undefined;
    const closing = new ClosingConnections(() => closeRemaining());
    super(
      {
        requestTimeout: timeouts.requestTimeoutMs,
        headersTimeout: timeouts.headersTimeoutMs,
        connectionsCheckingInterval: timeouts.connectionsCheckingIntervalMs,
        // Checked by the connection guards, which answer with the error catalog's body.
        requireHostHeader: false,
      },
      closing.track(handler),
    );
    this.#closing = closing;
    closeRemaining = () => {
      this.closeAllConnections();
      for (const socket of this.#sniffing) socket.destroy();
    };
    this.keepAliveTimeout = timeouts.keepAliveTimeoutMs;
    this.#sniffTimeoutMs = timeouts.headersTimeoutMs;
    this.#h2c = createHttp2Server({}, handler as unknown as Parameters<typeof createHttp2Server>[1]);
    this.#sessions = trackHttp2Sessions(this.#h2c, timeouts.keepAliveTimeoutMs);
    const http1 = this.listeners('connection') as Array<(socket: Socket) => void>;
    this.removeAllListeners('connection');
    this.on('connection', (socket: Socket) => {
      this.#sniff(socket, (isHttp2) => {
        if (isHttp2) {
          // The HTTP/1.1 server accepts half-open sockets; an HTTP/2 session must close when the peer's side does.
          socket.allowHalfOpen = false;
          this.#h2c.emit('connection', socket);
        } else for (const listener of http1) listener.call(this, socket);
      });
    });
  }

  /**
   * fastify's close and Node's close() call this: the HTTP/1.1 connections begin their graceful
   * close (closing-connections.ts) and h2c sessions get GOAWAY. A connection still being sniffed
   * may have its first request on the way: it is served or closed with the others.
   */
  override closeIdleConnections(): void {
    this.#closing.begin();
    this.#sessions.closeAll();
  }

  #sniff(socket: Socket, dispatch: (isHttp2: boolean) => void): void {
    this.#sniffing.add(socket);
    let head = Buffer.alloc(0);
    const timer = setTimeout(() => socket.destroy(), this.#sniffTimeoutMs);
    const done = (): void => {
      clearTimeout(timer);
      this.#sniffing.delete(socket);
      socket.removeListener('readable', onReadable);
      socket.removeListener('close', done);
      socket.removeListener('error', done);
    };
    const onReadable = (): void => {
      for (let chunk = socket.read() as Buffer | null; chunk !== null; chunk = socket.read() as Buffer | null) {
        head = Buffer.concat([head, chunk]);
      }
      const seen = Math.min(head.length, PREFACE.length);
      const isPrefacePrefix = head.subarray(0, seen).equals(PREFACE.subarray(0, seen));
      if (isPrefacePrefix && head.length < PREFACE.length) return;
      done();
      socket.unshift(head);
      dispatch(isPrefacePrefix);
    };
    socket.on('readable', onReadable);
    socket.once('close', done);
    // A reset before the first bytes: the socket closes next; nothing else to do.
    socket.once('error', done);
  }
}
