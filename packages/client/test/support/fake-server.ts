/**
 * A scripted HTTP server for fault injection only (behaviour is tested against the real server):
 * each request gets the next scripted answer, which can be a status with headers and body, a
 * dropped connection, or no answer at all. Every request is recorded with its parsed body.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type Answer =
  | { readonly status: number; readonly body?: unknown; readonly headers?: Readonly<Record<string, string>> }
  | { readonly drop: true }
  | { readonly hang: true };

export interface Recorded {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingMessage['headers'];
  readonly body: unknown;
}

export interface FakeServer {
  readonly url: string;
  readonly requests: Recorded[];
  close(): Promise<void>;
}

function reply(response: ServerResponse, answer: Answer): void {
  if ('drop' in answer) {
    response.socket?.destroy();
    return;
  }
  if ('hang' in answer) return;
  const text =
    answer.body === undefined ? '' : typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body);
  const type = typeof answer.body === 'string' ? 'text/html' : 'application/json';
  response.writeHead(answer.status, { 'content-type': type, ...answer.headers });
  response.end(text);
}

/** Answers requests with `script` in order; the last answer repeats once the script runs out. */
export async function startFakeServer(script: readonly Answer[]): Promise<FakeServer> {
  const requests: Recorded[] = [];
  const server = createServer((request, response) => {
    let text = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => (text += chunk));
    request.on('end', () => {
      requests.push({
        method: request.method ?? '',
        url: request.url ?? '',
        headers: request.headers,
        body: text === '' ? undefined : (JSON.parse(text) as unknown),
      });
      const answer = script[Math.min(requests.length, script.length) - 1];
      if (answer !== undefined) reply(response, answer);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
