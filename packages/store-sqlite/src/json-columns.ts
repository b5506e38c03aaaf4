/**
 * JSON text columns that repeat across many rows (backoff, meta), encoded and decoded with small
 * caches so a batch of thousands of jobs does not stringify and parse the same policy each time.
 * Cached objects are frozen: every job that shares one sees the same immutable value.
 */
import type { BackoffPolicy, JobMeta } from '@docket/protocol';

/**
 * Distinct backoff texts remembered for decoding. Real deployments have a handful (the default,
 * one per queue config, a few per-job overrides); the bound stops a client that sends a new
 * policy with every job from growing memory without limit.
 */
const BACKOFF_CACHE_MAX = 256;

const EMPTY_META: JobMeta = Object.freeze({});
const EMPTY_META_TEXT = '{}';

const backoffTexts = new WeakMap<BackoffPolicy, string>();
const backoffPolicies = new Map<string, BackoffPolicy>();

export function stringifyBackoff(backoff: BackoffPolicy): string {
  let text = backoffTexts.get(backoff);
  if (text === undefined) {
    text = JSON.stringify(backoff);
    backoffTexts.set(backoff, text);
  }
  return text;
}

export function parseBackoff(text: string): BackoffPolicy {
  const cached = backoffPolicies.get(text);
  if (cached !== undefined) return cached;
  const policy = Object.freeze(JSON.parse(text) as BackoffPolicy);
  if (backoffPolicies.size < BACKOFF_CACHE_MAX) backoffPolicies.set(text, policy);
  return policy;
}

export function stringifyMeta(meta: JobMeta): string {
  for (const _ in meta) return JSON.stringify(meta);
  return EMPTY_META_TEXT;
}

export function parseMeta(text: string): JobMeta {
  return text === EMPTY_META_TEXT ? EMPTY_META : (JSON.parse(text) as JobMeta);
}
