/**
 * Queues declared in the config file (ElasticMQ style), validated against the protocol's
 * QueueConfigSchema. Keys ending in `Ms` also accept durations (`30s`), as everywhere on the CLI,
 * nested ones too (`rateLimit.perMs`).
 *
 * @example
 * queues:
 *   emails: { leaseMs: 30s, maxAttempts: 5 }
 *   api: { concurrency: 5, rateLimit: { max: 100, perMs: 1s }, maxWaiting: 100000 }
 */
import { QUEUE_NAME_RULE, QueueConfigSchema, isQueueName, type QueueConfig } from '@docket/protocol';
import { Value } from '@sinclair/typebox/value';
import { parseDuration } from './duration.ts';

export interface QueueDeclarations {
  readonly queues: Readonly<Record<string, QueueConfig>>;
  readonly problems: readonly string[];
}

function withDurations(raw: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(raw)) {
    const ms = key.endsWith('Ms') && typeof value === 'string' ? parseDuration(value) : undefined;
    out[key] = ms ?? (isMapping(value) ? withDurations(value) : value);
  }
  return out;
}

function isMapping(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function parseQueueDeclarations(raw: unknown, where: string): QueueDeclarations {
  if (raw === undefined || raw === null) return { queues: {}, problems: [] };
  if (!isMapping(raw))
    return { queues: {}, problems: [`${where}: queues: expected a mapping of queue names to settings`] };
  const queues: Record<string, QueueConfig> = {};
  const problems: string[] = [];
  for (const [name, settings] of Object.entries(raw)) {
    if (!isQueueName(name)) {
      problems.push(`${where}: queues: invalid queue name ${JSON.stringify(name)}, ${QUEUE_NAME_RULE}`);
      continue;
    }
    if (settings !== null && !isMapping(settings)) {
      problems.push(`${where}: queues.${name}: expected a mapping of settings`);
      continue;
    }
    const config = withDurations(settings ?? {});
    const errors = [...Value.Errors(QueueConfigSchema, config)];
    for (const error of errors) {
      const path = error.path === '' ? '' : error.path.slice(1).replaceAll('/', '.');
      problems.push(`${where}: queues.${name}${path === '' ? '' : `.${path}`}: ${error.message.toLowerCase()}`);
    }
    if (errors.length === 0) queues[name] = config;
  }
  return { queues, problems };
}
