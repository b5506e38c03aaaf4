/**
 * fastify's serverFactory for Docket: with TLS material, HTTPS with HTTP/2 and HTTP/1.1 by
 * ALPN (tls-server.ts); without, cleartext HTTP/1.1 and h2c on one port (cleartext-server.ts).
 * Both feed every request to fastify's one handler, which tells HTTP/2 requests apart by
 * `httpVersionMajor`, so routes, hooks and errors are the same on every protocol.
 *
 * One construction path for both modes, rather than fastify's `http2: true`, because Node 20
 * needs help that fastify does not give there: graceful close of HTTP/2 sessions at shutdown
 * and the HTTP/1.1 timeouts of an HTTP/2 server that allows HTTP/1.1.
 */
import type { Server } from 'node:http';
import type { FastifyServerFactory } from 'fastify';
import type { ServerTimeouts } from '../limits.ts';
import { CleartextServer } from './cleartext-server.ts';
import { createTlsServer, type TlsMaterial } from './tls-server.ts';

export function serverFactory(tls: TlsMaterial | undefined, timeouts: ServerTimeouts): FastifyServerFactory {
  return (handler) => {
    if (tls === undefined) return new CleartextServer(handler, timeouts);
    // fastify types its server as http.Server; it calls only what both share (listen, close,
    // address, closeIdleConnections, the request and upgrade events).
    return createTlsServer(tls, handler as never, timeouts) as unknown as Server;
  };
}
