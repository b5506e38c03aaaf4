/**
 * emq's paths: six subtree prefixes (`/enqueue/`, `/wait/`, …) where the rest of the decoded
 * path is the queue name, Go's ServeMux redirects (the prefix without its slash, and unclean
 * paths with `//`, `.` or `..` segments, answer 301 to the clean path), and queue names held to
 * Docket's rule.
 */
import { QUEUE_NAME_RULE, isQueueName } from '@docket/protocol';
import { EmqError } from './errors.ts';

export const EMQ_PREFIXES = ['/enqueue', '/wait', '/ack', '/nak', '/peek', '/queues'] as const;
export type EmqPrefix = (typeof EMQ_PREFIXES)[number];

/** Go's path.Clean, keeping a trailing slash as ServeMux does. */
export function cleanPath(path: string): string {
  const out: string[] = [];
  for (const segment of path.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') out.pop();
    else out.push(segment);
  }
  const cleaned = `/${out.join('/')}`;
  return path.endsWith('/') && cleaned !== '/' ? `${cleaned}/` : cleaned;
}

function splitUrl(url: string): { path: string; query: string } {
  const at = url.indexOf('?');
  return at < 0 ? { path: url, query: '' } : { path: url.slice(0, at), query: url.slice(at) };
}

function decodedPath(path: string): string {
  if (!path.includes('%')) return path;
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}

/**
 * Where ServeMux would redirect this request, or null when it would not: the bare prefix goes
 * to `<prefix>/`, an unclean path to its clean form (the query is kept).
 */
export function redirectTarget(url: string, prefix: EmqPrefix): string | null {
  const { path, query } = splitUrl(url);
  if (path === prefix) return `${prefix}/${query}`;
  const decoded = decodedPath(path);
  const clean = cleanPath(decoded);
  if (clean === decoded) return null;
  return `${encodeURI(clean)}${query}`;
}

/** A path ServeMux would clean: an empty, `.` or `..` segment anywhere in it. */
const UNCLEAN = /\/\/|\/\.\.?(?:\/|$)/;

/**
 * The 301 target of an unclean path anywhere, prefix included (`//queues/`, `/x/../wait/`), when
 * its clean form is one of emq's paths; null otherwise, so Docket's own paths keep their answers.
 */
export function uncleanRedirectTarget(url: string): string | null {
  const { path, query } = splitUrl(url);
  const decoded = decodedPath(path);
  if (!UNCLEAN.test(decoded)) return null;
  const clean = cleanPath(decoded);
  const emq = EMQ_PREFIXES.some((prefix) => clean === prefix || clean.startsWith(`${prefix}/`));
  return emq ? `${encodeURI(clean)}${query}` : null;
}

/** The queue a request names (the decoded rest of the path), held to Docket's queue-name rule. */
export function queueOf(rest: string): string {
  if (!isQueueName(rest)) {
    throw new EmqError(`invalid queue name ${JSON.stringify(rest.slice(0, 200))}: ${QUEUE_NAME_RULE}`);
  }
  return rest;
}
