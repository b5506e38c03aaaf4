/**
 * The admin commands' HTTP client: global fetch against the server's /v1 API. A connection
 * failure or an error answer becomes a CliError (exit code 1) carrying the server's own
 * `{ error: { code, message } }`.
 */
import { CliError, ServerError } from './errors.ts';

export interface ClientOptions {
  readonly url: string;
  readonly token?: string | undefined;
  /** PEM text of a CA to trust for the server's TLS certificate (requests then go through undici). */
  readonly ca?: string | undefined;
  /** Per request, on top of any long-poll wait the request asks the server for. */
  readonly timeoutMs: number;
}

export interface RequestOptions {
  readonly body?: unknown;
  readonly query?: Readonly<Record<string, string | number | undefined>>;
  /** Extra time the server may legitimately hold the request (long-poll). */
  readonly waitMs?: number;
}

export interface AdminClient {
  readonly url: string;
  request<T>(method: string, path: string, options?: RequestOptions): Promise<T>;
  /** The raw response, for commands that judge the status themselves (health). */
  fetch(path: string): Promise<HttpResponse>;
}

/** What the commands read of an answer (global fetch's and undici's Response both have it). */
export type HttpResponse = Pick<Response, 'ok' | 'status' | 'text'>;

/** Path segments such as queue names may contain `/`: always encode them. */
export function segment(value: string): string {
  return encodeURIComponent(value);
}

function errorFromBody(status: number, body: unknown): ServerError {
  if (typeof body === 'object' && body !== null && 'error' in body) {
    const error = body.error;
    if (typeof error === 'object' && error !== null) {
      const { code, message } = error as { code?: unknown; message?: unknown };
      return new ServerError(
        status,
        typeof code === 'string' ? code : 'ERROR',
        typeof message === 'string' ? message : 'no message',
      );
    }
  }
  return new ServerError(
    status,
    'HTTP_ERROR',
    typeof body === 'string' && body !== '' ? body.slice(0, 200) : 'no error body',
  );
}

async function readBody(response: HttpResponse): Promise<unknown> {
  const text = await response.text();
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

type Fetch = (url: URL, init: RequestInit) => Promise<HttpResponse>;

/** Global fetch, or with a CA to trust, undici's fetch over an Agent that trusts it. */
async function fetcherOf(ca: string | undefined): Promise<Fetch> {
  if (ca === undefined) return (url, init) => fetch(url, init);
  const undici = await import('undici');
  const dispatcher = new undici.Agent({ connect: { ca } });
  return (url, init) =>
    undici.fetch(url, {
      ...(init as unknown as Parameters<typeof undici.fetch>[1]),
      dispatcher,
    });
}

export function createAdminClient(options: ClientOptions): AdminClient {
  let fetcher: Promise<Fetch> | undefined;
  const base = options.url.replace(/\/+$/, '');
  const headers = (json: boolean): Record<string, string> => ({
    accept: 'application/json',
    ...(json ? { 'content-type': 'application/json' } : {}),
    ...(options.token !== undefined && options.token !== '' ? { authorization: `Bearer ${options.token}` } : {}),
  });

  async function send(method: string, path: string, request: RequestOptions): Promise<HttpResponse> {
    const url = new URL(base + path);
    for (const [key, value] of Object.entries(request.query ?? {}))
      if (value !== undefined) url.searchParams.set(key, String(value));
    const init: RequestInit = {
      method,
      headers: headers(request.body !== undefined),
      signal: AbortSignal.timeout(options.timeoutMs + (request.waitMs ?? 0)),
    };
    if (request.body !== undefined) init.body = JSON.stringify(request.body);
    try {
      fetcher ??= fetcherOf(options.ca);
      return await (
        await fetcher
      )(url, init);
    } catch (err) {
      const cause = err instanceof Error && err.cause instanceof Error ? err.cause.message : String(err);
      throw new CliError(`cannot reach docket at ${base}: ${cause}`, 1, { cause: err });
    }
  }

  return {
    url: base,
    async request<T>(method: string, path: string, request: RequestOptions = {}): Promise<T> {
      const response = await send(method, path, request);
      const body = await readBody(response);
      if (!response.ok) throw errorFromBody(response.status, body);
      return body as T;
    },
    fetch: (path) => send('GET', path, {}),
  };
}
