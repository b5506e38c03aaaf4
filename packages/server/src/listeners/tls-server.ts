/**
 * The TLS listener: HTTPS with HTTP/2 and HTTP/1.1 on one port, chosen per connection by ALPN
 * (`h2` preferred, `http/1.1` for clients that do not offer h2). TLS 1.2 is the minimum; older
 * handshakes fail before any request.
 *
 * Invariants: HTTP/1.1 connections get the same headers, request and keep-alive timeouts as on
 * the cleartext listener (Node's defaults for an HTTP/2 server with `allowHTTP1` differ, and
 * without a keep-alive timeout idle connections would never close) and the same graceful close
 * (closing-connections.ts); HTTP/2 sessions close gracefully when the server closes (see
 * http2-sessions.ts).
 */
import { Server as HttpServer } from 'node:http';
import { createSecureServer, type Http2SecureServer, type SecureServerOptions } from 'node:http2';
import type { ServerTimeouts } from '../limits.ts';
import { ClosingConnections } from './closing-connections.ts';
import { trackHttp2Sessions } from './http2-sessions.ts';

/** The certificate chain and private key, PEM-encoded, as read from files. */
export interface TlsMaterial {
  /** The server certificate, followed by any intermediates. */
  readonly cert: string | Buffer;
  readonly key: string | Buffer;
}

/** The oldest protocol accepted: TLS 1.0 and 1.1 are deprecated (RFC 8996). */
export const TLS_MIN_VERSION = 'TLSv1.2';

/**
 * Node's HTTP/1.1 connection list is the same on an HTTP/2 server that allows HTTP/1.1, but only
 * closeIdleConnections is exposed there: closeAllConnections is borrowed from http.Server.
 */
function closeAllHttp1(server: Http2SecureServer): void {
  const http1 = HttpServer.prototype as unknown as { closeAllConnections: (this: Http2SecureServer) => void };
  http1.closeAllConnections.call(server);
}

type Http2Handler = NonNullable<Parameters<typeof createSecureServer>[1]>;

/** Node reads these from an HTTP/2 server with allowHTTP1, as from an http.Server. */
interface Http1Timeouts {
  headersTimeout: number;
  requestTimeout: number;
  keepAliveTimeout: number;
  connectionsCheckingInterval: number;
}

export function createTlsServer(tls: TlsMaterial, handler: Http2Handler, timeouts: ServerTimeouts): Http2SecureServer {
  const options: SecureServerOptions = {
    cert: tls.cert,
    key: tls.key,
    allowHTTP1: true,
    minVersion: TLS_MIN_VERSION,
  };
  // Node's HTTP/1.1 connection list is the same on an HTTP/2 server that allows HTTP/1.1, but only
  // closeIdleConnections is exposed there: closeAllConnections is borrowed from http.Server.
  const closing = new ClosingConnections(() => closeAllHttp1(server));
  const server = createSecureServer(options, closing.track(handler));
  Object.assign(server as Http2SecureServer & Http1Timeouts, {
    headersTimeout: timeouts.headersTimeoutMs,
    requestTimeout: timeouts.requestTimeoutMs,
    keepAliveTimeout: timeouts.keepAliveTimeoutMs,
    connectionsCheckingInterval: timeouts.connectionsCheckingIntervalMs,
  } satisfies Http1Timeouts);
  const sessions = trackHttp2Sessions(server, timeouts.keepAliveTimeoutMs);
  // Node's close() and fastify's shutdown both call closeIdleConnections: the HTTP/1.1
  // connections begin their graceful close (closing-connections.ts), HTTP/2 sessions get GOAWAY.
  Object.assign(server, {
    closeIdleConnections(): void {
      closing.begin();
      sessions.closeAll();
    },
  });
  return server;
}
