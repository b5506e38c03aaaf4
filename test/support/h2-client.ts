/**
 * Small node:http2 and node:https clients for tests: one request with its status, headers and
 * body, over h2c, HTTP/2 over TLS (ALPN h2) or HTTP/1.1 over TLS (ALPN http/1.1). The /v1 API,
 * the listeners and the miniqueue door's tests all use these.
 */
import { request as httpsRequest, type RequestOptions } from 'node:https';
import type { ConnectionOptions } from 'node:tls';
import { connect, type ClientHttp2Session, type SecureClientSessionOptions } from 'node:http2';

export interface Answer {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: string;
  /** `h2` or `http/1.1` as negotiated (HTTP/2 answers say `h2`). */
  readonly protocol: string;
}

/** Connects and waits for the session (TLS handshake included). */
export function openSession(url: string, options: SecureClientSessionOptions = {}): Promise<ClientHttp2Session> {
  return new Promise((resolve, reject) => {
    const session = connect(url, options);
    session.once('connect', () => {
      session.off('error', reject);
      resolve(session);
    });
    session.once('error', reject);
  });
}

export function h2Request(
  session: ClientHttp2Session,
  method: string,
  path: string,
  body?: string | Uint8Array,
  headers: Record<string, string> = {},
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const stream = session.request({ ':method': method, ':path': path, ...headers });
    let status = 0;
    let responseHeaders: Answer['headers'] = {};
    const chunks: Buffer[] = [];
    stream.on('response', (h) => {
      status = Number(h[':status']);
      responseHeaders = h;
    });
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('end', () =>
      resolve({ status, headers: responseHeaders, body: Buffer.concat(chunks).toString('utf8'), protocol: 'h2' }),
    );
    stream.on('error', reject);
    stream.end(body);
  });
}

/** One HTTP/1.1 request over TLS, offering only http/1.1 in ALPN. */
export function https1Request(url: string, ca: string, method: string, body?: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    // https passes TLS options such as ALPNProtocols on to tls.connect.
    const options: RequestOptions & ConnectionOptions = { method, ca, ALPNProtocols: ['http/1.1'], agent: false };
    const request = httpsRequest(url, options, (response) => {
      const socket = response.socket as { alpnProtocol?: string | false };
      const protocol = typeof socket.alpnProtocol === 'string' ? socket.alpnProtocol : 'none';
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => {
        resolve({
          status: response.statusCode ?? 0,
          headers: response.headers,
          body: Buffer.concat(chunks).toString('utf8'),
          protocol,
        });
      });
    });
    request.on('error', reject);
    request.end(body);
  });
}
