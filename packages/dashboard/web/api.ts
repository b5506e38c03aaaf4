/**
 * The one module that talks to the server: every `/v1` call and the event stream go through
 * here, so credentials are added in one place. Each call carries `X-Docket-UI: 1`, which marks it
 * as a dashboard session (the server refuses a marked mutating call in read-only mode) and, being
 * a custom header, cannot be sent cross-site without a CORS preflight. With auth on, the session
 * cookie (HttpOnly, SameSite=Strict, set by `login`) rides along via `credentials:
 * 'same-origin'`, and `csrfHeaders()` echoes the CSRF cookie in `X-Docket-CSRF`. Any 401 tells
 * the listeners of `onUnauthenticated` (the app shell, which shows the login form again).
 */
import { SETTINGS } from './settings.ts';
import type { Job, JobAttempts, JobState, QueueRates, QueueStats, ServerInfo, Stats, Worker } from './types.ts';

/** An error answer of the API: its catalog code and message. */
export class ApiError extends Error {
  readonly code: string;
  readonly status: number;

  constructor(status: number, code: string, message: string) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

/** The server root as this page sees it: the page lives at `{root}{basePath}/`. */
function apiRoot(): URL {
  const depth = SETTINGS.basePath.split('/').filter((part) => part !== '').length;
  return new URL('../'.repeat(depth) || './', location.href.split('#')[0]);
}

const ROOT = apiRoot();

function url(path: string): string {
  return new URL(path.replace(/^\//, ''), ROOT).toString();
}

/** The value of a cookie the page may read (not the HttpOnly session cookie). */
function cookie(name: string): string | undefined {
  for (const pair of document.cookie.split(';')) {
    const [key, ...value] = pair.trim().split('=');
    if (key === name) return value.join('=');
  }
  return undefined;
}

function csrfHeaders(): Record<string, string> {
  const csrf = cookie('docket_csrf');
  return { 'x-docket-ui': '1', ...(csrf === undefined || csrf === '' ? {} : { 'x-docket-csrf': csrf }) };
}

const unauthenticated = new Set<() => void>();

/** Calls `listener` whenever the server answers 401 (no session, or its token was revoked or expired). */
export function onUnauthenticated(listener: () => void): () => void {
  unauthenticated.add(listener);
  return () => unauthenticated.delete(listener);
}

const q = (name: string): string => encodeURIComponent(name);

async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
  return (await exchange<T>(method, path, body)).value;
}

/**
 * A read's answer and how long its counting took in the server (its `Server-Timing: count;dur=`),
 * null when the answer does not say (a proxy dropped the header).
 */
export interface Counted<T> {
  readonly value: T;
  readonly countMs: number | null;
}

async function exchange<T>(method: string, path: string, body?: unknown): Promise<Counted<T>> {
  const headers: Record<string, string> = { accept: 'application/json', ...csrfHeaders() };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(url(path), {
    method,
    headers,
    credentials: 'same-origin',
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const timing = /count;dur=([\d.]+)/.exec(response.headers.get('server-timing') ?? '')?.[1];
  const countMs = timing === undefined ? null : Number(timing);
  if (response.status === 204) return { value: undefined as T, countMs };
  const text = await response.text();
  const parsed: unknown = text === '' ? null : JSON.parse(text);
  if (response.status === 401 && !(method === 'POST' && path === '/v1/session'))
    for (const listener of unauthenticated) listener();
  if (!response.ok) {
    const error = (parsed as { error?: { code?: string; message?: string } } | null)?.error;
    throw new ApiError(response.status, error?.code ?? 'HTTP', error?.message ?? `HTTP ${response.status}`);
  }
  return { value: parsed as T, countMs };
}

/** Whether the server has auth on, and the token the session acts as (`GET /v1/session`). */
export interface Session {
  readonly auth: boolean;
  readonly token: { readonly id: string; readonly name: string; readonly grants: readonly string[] } | null;
}

interface Page<T> {
  readonly items: T[];
  readonly cursor: string | null;
}

function pageQuery(limit: number, cursor: string | null, extra: Record<string, string> = {}): string {
  const params = new URLSearchParams({ limit: String(limit), ...extra });
  if (cursor !== null) params.set('cursor', cursor);
  return params.toString();
}

export const api = {
  /** Who the session is; an ApiError with status 401 when auth is on and nobody is logged in. */
  session: () => call<{ session: Session }>('GET', '/v1/session').then((r) => r.session),
  /** Posts the token once; the server answers with the session and CSRF cookies. */
  login: (token: string) => call<{ session: Session }>('POST', '/v1/session', { token }).then((r) => r.session),
  logout: () => call('DELETE', '/v1/session'),
  server: () => call<{ server: ServerInfo }>('GET', '/v1/server').then((r) => r.server),
  stats: (window: '5m' | '1h') => call<{ stats: Stats }>('GET', `/v1/stats?window=${window}`).then((r) => r.stats),
  /** Every queue with rates, following the cursor (1 000 a page), with the server's counting time of all pages. */
  async allQueueRates(): Promise<Counted<QueueRates[]>> {
    const all: QueueRates[] = [];
    let countMs: number | null = 0;
    let cursor: string | null = null;
    do {
      const page: Counted<Page<QueueRates>> = await exchange('GET', `/v1/stats/queues?${pageQuery(1000, cursor)}`);
      all.push(...page.value.items);
      countMs = countMs === null || page.countMs === null ? null : countMs + page.countMs;
      cursor = page.value.cursor;
    } while (cursor !== null);
    return { value: all, countMs };
  },
  /** A queue with its counts, and how long the server took to count them. */
  queue: (name: string) =>
    exchange<{ queue: QueueStats }>('GET', `/v1/queues/${q(name)}`).then((r) => ({
      value: r.value.queue,
      countMs: r.countMs,
    })),
  jobs: (queue: string, state: JobState | null, limit: number, cursor: string | null) =>
    call<Page<Job>>('GET', `/v1/queues/${q(queue)}/jobs?${pageQuery(limit, cursor, state === null ? {} : { state })}`),
  job: (id: string) => call<{ job: Job }>('GET', `/v1/jobs/${q(id)}`).then((r) => r.job),
  attempts: (id: string) => call<JobAttempts>('GET', `/v1/jobs/${q(id)}/attempts`),
  workers: (cursor: string | null) => call<Page<Worker>>('GET', `/v1/workers?${pageQuery(1000, cursor)}`),

  enqueue: (queue: string, data: unknown, options: Record<string, unknown>) =>
    call<{ job: Job }>('POST', `/v1/queues/${q(queue)}/jobs`, { data, ...options }).then((r) => r.job),
  pause: (queue: string) => call('POST', `/v1/queues/${q(queue)}/pause`),
  resume: (queue: string) => call('POST', `/v1/queues/${q(queue)}/resume`),
  purge: (queue: string, states?: JobState[]) =>
    call<{ purged: number }>('POST', `/v1/queues/${q(queue)}/purge`, states === undefined ? {} : { states }),
  redrive: (queue: string, reason?: string) =>
    call<{ redriven: number }>('POST', `/v1/queues/${q(queue)}/redrive`, reason === undefined ? {} : { reason }),
  retry: (id: string) => call<{ job: Job }>('POST', `/v1/jobs/${q(id)}/retry`),
  promote: (id: string) => call<{ job: Job }>('POST', `/v1/jobs/${q(id)}/promote`),
  cancel: (id: string) => call<{ job: Job }>('POST', `/v1/jobs/${q(id)}/cancel`),
  deleteJob: (id: string) => call('DELETE', `/v1/jobs/${q(id)}`),

  /**
   * Once a second, the queues with job events on the server in that second (SSE,
   * `/v1/stats/activity`); returns the function that closes the stream.
   */
  activity(onFrame: (queues: readonly string[]) => void): () => void {
    const source = new EventSource(url('/v1/stats/activity'), { withCredentials: true });
    source.addEventListener('activity', (event) => {
      onFrame((JSON.parse((event as MessageEvent<string>).data) as { queues: string[] }).queues);
    });
    source.addEventListener('error', () => {
      if (source.readyState === EventSource.CLOSED) void api.session().catch(() => undefined);
    });
    return () => source.close();
  },
};
