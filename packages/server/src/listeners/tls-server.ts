/**
 * The TLS listener: HTTPS with HTTP/2 and HTTP/1.1 on one port, chosen per connection by ALPN
 * (`h2` preferred, `http/1.1` for clients that do not offer h2). TLS 1.2 is the minimum; older
 * handshakes fail before any request.
 *
 * Invariants: HTTP/1.1 connections get the same headers, request and keep-alive timeouts as on
 * the cleartext listener (Node's defaults for an HTTP/2 server with `allowHTTP1` differ, and
 * without a keep-alive timeout idle connections would never close); HTTP/2 sessions close
 * gracefully when the server closes (see http2-sessions.ts).
 */
import { createSecureServer, type Http2SecureServer, type SecureServerOptions } from 'node:http2';
import type { ServerTimeouts } from '../limits.ts';
import { trackHttp2Sessions } from './http2-sessions.ts';

/** The certificate chain and private key, PEM-encoded, as read from files. */
export interface TlsMaterial {
  /** The server certificate, followed by any intermediates. */
  readonly cert: string | Buffer;
  readonly key: string | Buffer;
}

/** The oldest protocol accepted: TLS 1.0 and 1.1 are deprecated (RFC 8996). */
export const TLS_MIN_VERSION = 'TLSv1.2';

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
  const server = createSecureServer(options, handler);
  Object.assign(server as Http2SecureServer & Http1Timeouts, {
    headersTimeout: timeouts.headersTimeoutMs,
    requestTimeout: timeouts.requestTimeoutMs,
    keepAliveTimeout: timeouts.keepAliveTimeoutMs,
    connectionsCheckingInterval: timeouts.connectionsCheckingIntervalMs,
  } satisfies Http1Timeouts);
  const sessions = trackHttp2Sessions(server, timeouts.keepAliveTimeoutMs);
  // Node's close() and fastify's shutdown both call closeIdleConnections (idle HTTP/1.1
  // connections only, on Node 20): HTTP/2 sessions are told to finish there too.
  const closeIdleHttp1 = (server as unknown as { closeIdleConnections: () => void }).closeIdleConnections.bind(server);
  Object.assign(server, {
    closeIdleConnections(): void {
      closeIdleHttp1();
      sessions.closeAll();
    },
  });
  return server;
}
