/**
 * The admin commands' HTTP client: global fetch against the server's /v1 API. A connection
 * failure or an error answer becomes a CliError (exit code 1) carrying the server's own
 * `{ error: { code, message } }`.
 */
import { CliError, ServerError } from './errors.ts';

export interface ClientOptions {
  readonly url: string;
  readonly token?: string | undefined;
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
  fetch(path: string): Promise<Response>;
}

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

async function readBody(response: Response): Promise<unknown> {
  const text = await response.text();
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

export function createAdminClient(options: ClientOptions): AdminClient {
  const base = options.url.replace(/\/+$/, '');
  const headers = (json: boolean): Record<string, string> => ({
    accept: 'application/json',
    ...(json ? { 'content-type': 'application/json' } : {}),
    ...(options.token !== undefined && options.token !== '' ? { authorization: `Bearer ${options.token}` } : {}),
  });

  async function send(method: string, path: string, request: RequestOptions): Promise<Response> {
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
      return await fetch(url, init);
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
