/**
 * Connection-level guards every HTTP/1.1 request passes, whatever its route:
 * - An `Upgrade` request to a route that takes no upgrade (anything but the consumer stream's
 *   WebSocket) is answered as an ordinary request, then its connection is closed. Node hands an
 *   upgrade request's socket over for good (its HTTP parser no longer reads it), so after the
 *   answer nothing would read nor close it: a keep-alive client would wait forever and each such
 *   request would hold a file descriptor. The answer says `connection: close` and the socket ends
 *   once it is sent. A WebSocket route that upgrades hijacks its reply and is not touched here.
 * - Requests Node's parser refuses before fastify sees them (bad framing, headers too large) get
 *   the error catalog's body instead of Node's bare status line.
 * - A connection these guards end (after its answer) is not left to its client: the server reads
 *   on and drops what still arrives, so the client's close is seen, and destroys the connection
 *   LINGER_MS after its end if the client keeps it open (a client that never closed held a file
 *   descriptor, and the server's close, for ever: the door fuzz's close hang).
 * - An HTTP/1.1 request with no `Host` or with more than one (RFC 9112 3.2: a server must answer
 *   400) is refused here with the catalog's body and `connection: close`; Node's own check
 *   (`requireHostHeader`, off in the listeners) would answer a bare 400 for a missing one and
 *   let duplicates through.
 */
import type { Socket } from 'node:net';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ErrorCode, InvalidArgumentError } from '@docket/protocol';

/** One of Node's refusals: its status, reason phrase and the message the error body carries. */
export interface ClientRefusal {
  readonly status: number;
  readonly reason: string;
  readonly message: string;
}

/** The body of a refusal in a listener's error shape. */
export type RefusalBody = (refusal: ClientRefusal) => { readonly contentType: string; readonly body: string };

/** Node's refusals: the status of each parser error code (any other is a 400), reason and message. */
const REFUSALS: Readonly<Record<string, ClientRefusal>> = {
  HPE_HEADER_OVERFLOW: {
    status: 431,
    reason: 'Request Header Fields Too Large',
    message: 'invalid request: the request headers are too large',
  },
  ERR_HTTP_REQUEST_TIMEOUT: {
    status: 408,
    reason: 'Request Timeout',
    message: 'invalid request: the request was not received in time',
  },
};
const MALFORMED = { status: 400, reason: 'Bad Request', message: 'invalid request: the HTTP framing is malformed' };

/** The whole HTTP/1.1 answer to a request Node refused, with the body `render` makes. */
function refusal(code: string | undefined, render: RefusalBody): string {
  const refused = REFUSALS[code ?? ''] ?? MALFORMED;
  const { contentType, body } = render(refused);
  return (
    `HTTP/1.1 ${refused.status} ${refused.reason}\r\ncontent-type: ${contentType}\r\n` +
    `content-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`
  );
}

const catalogBody: RefusalBody = ({ message }) => ({
  contentType: 'application/json; charset=utf-8',
  body: JSON.stringify({ error: { code: ErrorCode.INVALID_ARGUMENT, message, details: { in: 'request' } } }),
});

/** How long a connection ended after its answer waits for its client to close it. */
export const LINGER_MS = 2_000;

/**
 * Ends `socket` after `data` without a reset: it reads on, dropping what the client still sends
 * (so unread bytes cannot turn the close into a reset, and the client's close is seen), and is
 * destroyed LINGER_MS after the end if the client keeps it open.
 */
export function endWithLinger(socket: Socket, data?: string): void {
  if (data === undefined) socket.end();
  else socket.end(data);
  socket.resume();
  const linger = setTimeout(() => socket.destroy(), LINGER_MS).unref();
  socket.once('close', () => clearTimeout(linger));
}

/** Whether a response has begun on this socket already (Node then writes no refusal either). */
function answering(socket: Socket): boolean {
  return (socket as Socket & { _httpMessage?: { headersSent?: boolean } })._httpMessage?.headersSent === true;
}

/**
 * Whether Node's parser stopped reading the connection after this request: it sets `upgrade` on
 * a request it handed over as an upgrade (@types/node omits it); on a listener with no `upgrade`
 * handler (the SQS door's) it leaves `upgrade` false, yet its parser still reads no more after an
 * HTTP/1.1 request with `Connection: upgrade` and an `Upgrade` header.
 */
function upgraded(request: FastifyRequest): boolean {
  const { raw } = request;
  if ((raw as { upgrade?: boolean }).upgrade === true) return true;
  const connection = raw.headers.connection;
  return (
    raw.httpVersionMajor === 1 &&
    raw.headers.upgrade !== undefined &&
    typeof connection === 'string' &&
    /(?:^|,)\s*upgrade\s*(?:,|$)/i.test(connection)
  );
}

/**
 * For an answer fastify sends outside the route hooks (its frameworkErrors: a bad URL, say):
 * an upgrade request's connection says `connection: close` and ends once the answer is sent.
 */
export function closeUpgradedAfterAnswer(request: FastifyRequest, reply: FastifyReply): void {
  if (!upgraded(request)) return;
  void reply.header('connection', 'close');
  reply.raw.once('finish', () => endWithLinger(request.raw.socket));
}

/** How many `Host` lines an HTTP/1.1 request carries (HTTP/1.0 and HTTP/2 need none: undefined). */
function hostLines(request: FastifyRequest): number | undefined {
  const { raw } = request;
  if (raw.httpVersionMajor !== 1 || raw.httpVersionMinor < 1) return undefined;
  let count = 0;
  for (let i = 0; i < raw.rawHeaders.length; i += 2) if (raw.rawHeaders[i]?.toLowerCase() === 'host') count += 1;
  return count;
}

export function guardConnections(app: FastifyInstance): void {
  app.addHook('onRequest', (request, reply, done) => {
    const hosts = hostLines(request);
    if (hosts === undefined || hosts === 1) {
      done();
      return;
    }
    void reply.header('connection', 'close');
    const message = hosts === 0 ? 'an HTTP/1.1 request needs a Host header' : 'more than one Host header';
    done(new InvalidArgumentError(`invalid request: ${message}`, { in: 'header', field: 'host' }));
  });
  app.addHook('onSend', (request, reply, payload, done) => {
    if (upgraded(request)) void reply.header('connection', 'close');
    done(null, payload);
  });
  app.addHook('onResponse', (request, _reply, done) => {
    if (upgraded(request)) endWithLinger(request.raw.socket);
    done();
  });
}

/** A fastify `clientErrorHandler` answering Node's refusals with the body `render` makes. */
export function clientErrorHandler(render: RefusalBody): (err: NodeJS.ErrnoException, socket: Socket) => void {
  return (err, socket) => {
    if (err.code === 'ECONNRESET' || !socket.writable || answering(socket)) socket.destroy();
    else endWithLinger(socket, refusal(err.code, render));
  };
}

/** The app's `clientErrorHandler`: Node's refusals with the catalog's body. */
export const refuseClientError = clientErrorHandler(catalogBody);
