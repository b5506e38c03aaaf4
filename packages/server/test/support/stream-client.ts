/**
 * A raw consumer stream client for tests: a `ws` WebSocket that records every server message
 * and lets a test wait for the next messages matching a predicate (no blind sleeps).
 */
import WebSocket from 'ws';

export interface ServerMessage {
  readonly type: string;
  readonly ref?: string | number;
  readonly id?: string;
  readonly job?: { readonly id: string; readonly leaseToken: string; readonly [key: string]: unknown };
  readonly error?: { readonly code: string; readonly message: string; readonly details: Record<string, unknown> };
  readonly reason?: string;
  readonly message?: string;
}

export interface StreamClient {
  readonly socket: WebSocket;
  readonly messages: ServerMessage[];
  send(message: unknown): void;
  /** Resolves with the first `count` messages matching `accept` (counted from the start). */
  waitFor(accept: (m: ServerMessage) => boolean, count?: number, timeoutMs?: number): Promise<ServerMessage[]>;
  /** Sends a message with `ref` and resolves with its `ok` or `error` reply. */
  request(message: Record<string, unknown>): Promise<ServerMessage>;
  readonly closed: Promise<{ readonly code: number; readonly reason: string }>;
  close(): Promise<void>;
}

let refs = 0;

export function wsUrl(httpUrl: string, query: Record<string, string | number>): string {
  const params = new URLSearchParams(Object.entries(query).map(([k, v]): [string, string] => [k, String(v)]));
  return `${httpUrl.replace(/^http/, 'ws')}/v1/stream?${params.toString()}`;
}

export async function openStream(httpUrl: string, query: Record<string, string | number>): Promise<StreamClient> {
  const socket = new WebSocket(wsUrl(httpUrl, query));
  const messages: ServerMessage[] = [];
  const listeners = new Set<() => void>();
  socket.on('message', (data: Buffer) => {
    messages.push(JSON.parse(data.toString('utf8')) as ServerMessage);
    for (const listener of [...listeners]) listener();
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    socket.once('close', (code, reason) => resolve({ code, reason: reason.toString() })),
  );
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  const waitFor = (accept: (m: ServerMessage) => boolean, count = 1, timeoutMs = 10_000): Promise<ServerMessage[]> =>
    new Promise((resolve, reject) => {
      const check = (): void => {
        const found = messages.filter(accept);
        if (found.length < count) return;
        listeners.delete(check);
        clearTimeout(timer);
        resolve(found.slice(0, count));
      };
      const timer = setTimeout(() => {
        listeners.delete(check);
        reject(
          new Error(
            `expected ${count} matching messages within ${timeoutMs} ms; got ${JSON.stringify(messages).slice(0, 2000)}`,
          ),
        );
      }, timeoutMs);
      listeners.add(check);
      check();
    });
  return {
    socket,
    messages,
    send: (message) => socket.send(typeof message === 'string' ? message : JSON.stringify(message)),
    waitFor,
    async request(message) {
      refs += 1;
      const ref = `r${refs}`;
      socket.send(JSON.stringify({ ...message, ref }));
      const [reply] = await waitFor((m) => m.ref === ref && (m.type === 'ok' || m.type === 'error'));
      if (reply === undefined) throw new Error('no reply');
      return reply;
    },
    closed,
    async close() {
      socket.close();
      await closed;
    },
  };
}
