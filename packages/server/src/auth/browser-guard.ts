/**
 * What keeps a web page from driving a Docket it can reach (a local one, or one on the intranet),
 * whether auth is on or off. As plain functions of a request's method and headers:
 * - Host: while bound to loopback, only loopback host names (and `--allowed-hosts`) are served,
 *   so a DNS-rebinding page cannot reach the API under its own name.
 * - Cross-site: a request whose `Sec-Fetch-Site` is `cross-site` or `same-site`, or whose
 *   `Origin` is not the server's own, is refused unless that origin is allowed (`--cors-origin`);
 *   allowed origins get CORS answers, preflights included. CORS is off by default.
 * - Media types: the API's bodies are JSON (enqueue also takes raw bytes), never the types a
 *   browser may send cross-site without a preflight (text/plain, forms).
 * Refusals are FORBIDDEN (`details.reason`: `host`, `cross-site`) and UNSUPPORTED_MEDIA_TYPE.
 */
import { ForbiddenError, UnsupportedMediaTypeError } from '@docket/protocol';

export interface BrowserPolicy {
  /** Origins (`https://app.example.com`) allowed to call from a browser; empty: none. */
  readonly corsOrigins: readonly string[];
  /** Host names served besides loopback ones; null: any Host (not bound to loopback). */
  readonly allowedHosts: readonly string[] | null;
}

export const DEFAULT_BROWSER_POLICY: BrowserPolicy = { corsOrigins: [], allowedHosts: null };

type Headers = Readonly<Record<string, string | string[] | undefined>>;

const SIMPLE_TYPES = ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data'];
const LOOPBACK_NAMES = ['localhost', '127.0.0.1', '[::1]'];

function header(headers: Headers, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** The host name of a Host header, without its port. */
function hostName(host: string): string {
  if (host.startsWith('[')) return host.slice(0, host.indexOf(']') + 1).toLowerCase();
  return (host.split(':')[0] ?? '').toLowerCase();
}

function isLoopbackName(name: string): boolean {
  return LOOPBACK_NAMES.includes(name) || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(name) || name.endsWith('.localhost');
}

/**
 * The Host value each policy last served: nearly every request repeats it, and the check is a
 * pure function of the two, so a repeat is served without parsing it again.
 */
const lastServedHost = new WeakMap<BrowserPolicy, string>();

/** Throws ForbiddenError (reason host) when the Host header is not one this server answers to. */
export function checkHost(headers: Headers, policy: BrowserPolicy): void {
  if (policy.allowedHosts === null) return;
  const host = header(headers, 'host') ?? header(headers, ':authority') ?? '';
  if (lastServedHost.get(policy) === host) return;
  const name = hostName(host);
  if (isLoopbackName(name) || policy.allowedHosts.includes(name)) {
    lastServedHost.set(policy, host);
    return;
  }
  throw new ForbiddenError(`host ${JSON.stringify(name.slice(0, 100))} is not served: add it with --allowed-hosts`, {
    reason: 'host',
  });
}

/** The allowed origin of a cross-origin request, null for a same-origin or non-browser one; throws when refused. */
export function checkOrigin(headers: Headers, policy: BrowserPolicy): string | null {
  const origin = header(headers, 'origin');
  const site = header(headers, 'sec-fetch-site');
  const host = header(headers, 'host') ?? header(headers, ':authority');
  const sameOrigin = origin === undefined || origin === `http://${host}` || origin === `https://${host}`;
  const crossBySite = site === 'cross-site' || site === 'same-site';
  if (sameOrigin && !crossBySite) return null;
  if (origin !== undefined && policy.corsOrigins.includes(origin)) return origin;
  throw new ForbiddenError('cross-site requests are refused: allow the origin with --cors-origin', {
    reason: 'cross-site',
  });
}

/** Throws UnsupportedMediaTypeError for the media types a browser sends cross-site without asking. */
export function checkMediaType(headers: Headers): void {
  const type = header(headers, 'content-type');
  if (type === undefined) return;
  const essence = (type.split(';')[0] ?? '').trim().toLowerCase();
  if (SIMPLE_TYPES.includes(essence)) throw new UnsupportedMediaTypeError(type);
}
