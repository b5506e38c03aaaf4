/**
 * How one HTTP try leaves the SDK: over an undici Pool per origin on Node (keep-alive
 * connections, no WHATWG Request, Response or stream objects per call), or over global fetch
 * where there is no Node (browsers, and any runtime without `process.versions.node`). undici is
 * loaded only on Node, on first use, so a browser bundle never reaches it. Both answer the same
 * thing: the status, `Retry-After`, and the body as text. Errors are the network's: the
 * requester (http-request.ts) classifies them.
 *
 * The Pools live as long as the sender; their idle sockets do not hold a process open.
 */
import type { Dispatcher } from 'undici';

export interface SenderRequest {
  readonly method: string;
  /** `http://host:port` */
  readonly origin: string;
  /** Path and query from the origin on (any path of the base URL included), encoded. */
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string;
  /** Aborts the try (the caller's signal or the try's deadline). */
  readonly signal: AbortSignal;
}

export interface SenderAnswer {
  readonly status: number;
  readonly retryAfter: string | null;
  readonly text: string;
}

export type Sender = (request: SenderRequest) => Promise<SenderAnswer>;

/** `fetch` everywhere, or `undici` on Node (the default there). */
export type SenderKind = 'fetch' | 'undici';

export function defaultSenderKind(): SenderKind {
  const runtime = globalThis as { process?: { versions?: { node?: string } } };
  return runtime.process?.versions?.node === undefined ? 'fetch' : 'undici';
}

export function createSender(kind: SenderKind): Sender {
  return kind === 'fetch' ? fetchSender : undiciSender();
}

const fetchSender: Sender = async (request) => {
  const response = await fetch(request.origin + request.path, {
    method: request.method,
    headers: request.headers,
    ...(request.body === undefined ? {} : { body: request.body }),
    signal: request.signal,
  });
  return { status: response.status, retryAfter: response.headers.get('retry-after'), text: await response.text() };
};

type PoolFactory = (origin: string) => Dispatcher;

function undiciSender(): Sender {
  let factory: Promise<PoolFactory> | undefined;
  const pools = new Map<string, Dispatcher>();
  const poolFor = async (origin: string): Promise<Dispatcher> => {
    const known = pools.get(origin);
    if (known !== undefined) return known;
    factory ??= import('undici').then(
      ({ Pool }) =>
        (at: string) =>
          new Pool(at, { pipelining: 1 }),
    );
    const make = await factory;
    let pool = pools.get(origin);
    if (pool === undefined) {
      pool = make(origin);
      pools.set(origin, pool);
    }
    return pool;
  };
  return async (request) => {
    const pool = pools.get(request.origin) ?? (await poolFor(request.origin));
    const answer = await pool.request({
      origin: request.origin,
      path: request.path,
      method: request.method,
      headers: request.headers,
      body: request.body ?? null,
      signal: request.signal,
    });
    const retryAfter = answer.headers['retry-after'];
    return {
      status: answer.statusCode,
      retryAfter: Array.isArray(retryAfter) ? (retryAfter[0] ?? null) : (retryAfter ?? null),
      text: await answer.body.text(),
    };
  };
}
