/**
 * Warnings about Redis settings that weaken what Docket's 2xx means. Docket answers after Redis
 * has applied a write; whether that write survives a Redis restart is up to Redis persistence:
 * `appendonly no` loses everything since the last snapshot, `appendfsync no` leaves flushing to
 * the OS, and an eviction policy other than `noeviction` lets Redis drop jobs under memory
 * pressure. Read with CONFIG GET on a short-lived connection; when CONFIG is disabled or Redis
 * cannot be reached, the warning says the settings could not be checked.
 */
import { Redis } from 'ioredis';

/** How long the check may take before it reports that it could not check. */
const CHECK_TIMEOUT_MS = 3_000;

/** `redis://user:secret@host` → `redis://user:***@host`, for messages. */
export function maskedUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== '') parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'redis (unparsable url)';
  }
}

function settingWarnings(where: string, config: ReadonlyMap<string, string>): string[] {
  const warnings: string[] = [];
  const appendonly = config.get('appendonly');
  if (appendonly === 'no') {
    warnings.push(
      `${where} has appendonly no: jobs Docket acknowledged are lost if Redis restarts or crashes; set appendonly yes (appendfsync always loses nothing, everysec up to 1 s)`,
    );
  } else if (config.get('appendfsync') === 'no') {
    warnings.push(
      `${where} has appendfsync no: the OS decides when acknowledged jobs reach disk; set appendfsync always or everysec`,
    );
  }
  const policy = config.get('maxmemory-policy');
  if (policy !== undefined && policy !== 'noeviction') {
    warnings.push(
      `${where} has maxmemory-policy ${policy}: Redis may evict Docket's jobs under memory pressure; set maxmemory-policy noeviction`,
    );
  }
  return warnings;
}

/**
 * Human-readable warnings about unsafe Redis settings; empty when all is well. Never rejects.
 *
 * @example
 * for (const warning of await redisBackendWarnings('redis://127.0.0.1:6379')) console.warn(warning);
 */
export async function redisBackendWarnings(url: string): Promise<string[]> {
  const where = `Redis at ${maskedUrl(url)}`;
  const client = new Redis(url, {
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    connectTimeout: CHECK_TIMEOUT_MS,
    commandTimeout: CHECK_TIMEOUT_MS,
  });
  client.on('error', () => undefined);
  try {
    await client.connect();
  } catch (err) {
    client.disconnect();
    return [`could not reach ${where} to check its persistence settings: ${(err as Error).message}`];
  }
  try {
    const reply = (await client.call('CONFIG', 'GET', 'appendonly', 'appendfsync', 'maxmemory-policy')) as string[];
    const config = new Map<string, string>();
    for (let i = 0; i + 1 < reply.length; i += 2) config.set(String(reply[i]), String(reply[i + 1]));
    return settingWarnings(where, config);
  } catch (err) {
    return [
      `could not check the persistence settings of ${where} (CONFIG GET failed: ${(err as Error).message}); make sure appendonly is yes and maxmemory-policy is noeviction`,
    ];
  } finally {
    client.disconnect();
  }
}
