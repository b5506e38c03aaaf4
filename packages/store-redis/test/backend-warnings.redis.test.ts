/**
 * redisBackendWarnings. Why Redis-specific: it reads Redis's own persistence and eviction
 * settings. Each case runs a private redis-server with the settings under test (the shared one's
 * settings are not ours to change).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { redisBackendWarnings } from '../src/mod.ts';
import { redisUnavailable } from './support/redis-service.ts';
import { privateRedisMissing, startPrivateRedis, type PrivateRedis } from './support/private-redis.ts';

describe.skipIf(redisUnavailable || privateRedisMissing !== null)('backend warnings', () => {
  let server: PrivateRedis | null = null;
  afterEach(async () => {
    await server?.stop();
    server = null;
  });

  it('says nothing for appendonly yes with noeviction', async () => {
    server = await startPrivateRedis([
      '--appendonly',
      'yes',
      '--appendfsync',
      'always',
      '--maxmemory-policy',
      'noeviction',
    ]);
    expect(await redisBackendWarnings(server.url)).toEqual([]);
  });

  it('warns about appendonly no and an eviction policy', async () => {
    server = await startPrivateRedis(['--appendonly', 'no', '--maxmemory-policy', 'allkeys-lru']);
    const warnings = await redisBackendWarnings(server.url);
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toMatch(/appendonly no/);
    expect(warnings[1]).toMatch(/maxmemory-policy allkeys-lru.*noeviction/);
  });

  it('warns about appendfsync no', async () => {
    server = await startPrivateRedis(['--appendonly', 'yes', '--appendfsync', 'no']);
    expect(await redisBackendWarnings(server.url)).toEqual([expect.stringMatching(/appendfsync no/)]);
  });

  it('says it could not check when CONFIG is disabled', async () => {
    server = await startPrivateRedis(['--rename-command', 'CONFIG', '']);
    expect(await redisBackendWarnings(server.url)).toEqual([
      expect.stringMatching(/could not check .*CONFIG GET failed/),
    ]);
  });

  it('says it could not check when Redis does not answer, and masks the password', async () => {
    server = await startPrivateRedis();
    const url = new URL(server.url);
    await server.stop();
    server = null;
    url.username = 'docket';
    url.password = 'secret';
    const [warning] = await redisBackendWarnings(url.toString());
    expect(warning).toMatch(/could not reach Redis at redis:\/\/docket:\*\*\*@127\.0\.0\.1/);
    expect(warning).not.toContain('secret');
  });
});
