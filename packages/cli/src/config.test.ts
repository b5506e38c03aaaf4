import { describe, expect, it } from 'vitest';
import { describeConfig, resolveServeConfig, type ConfigInputs } from './config.ts';
import { parseQueueDeclarations } from './queue-declarations.ts';

function resolve(inputs: Partial<ConfigInputs>) {
  return resolveServeConfig({ flags: {}, env: {}, parseQueues: parseQueueDeclarations, ...inputs });
}

function resolved(inputs: Partial<ConfigInputs>) {
  const result = resolve(inputs);
  if (!('resolved' in result)) throw new Error(`unexpected problems: ${result.problems.join('; ')}`);
  return result.resolved;
}

function problems(inputs: Partial<ConfigInputs>): string[] {
  const result = resolve(inputs);
  if (!('problems' in result)) throw new Error('expected problems');
  return result.problems;
}

const file = (content: unknown) => ({ path: 'docket.yaml', content });

describe('resolveServeConfig', () => {
  it('reads door policies from the config file and never prints a door token', () => {
    const token = 'dkt_0123456789abcdef0123_' + 'A'.repeat(43);
    const result = resolved({ file: file({ doors: { emq: 'open', presque: 'off', miniqueue: token } }) });
    expect(result.config.doors).toEqual({ emq: 'open', presque: 'off', miniqueue: { token } });
    expect(JSON.stringify(describeConfig(result))).not.toContain(token);
    expect(problems({ file: file({ doors: { sqs: 'open', emq: 'short' } }) })).toEqual([
      'config file docket.yaml: doors: unknown door "sqs" (known: emq, presque, miniqueue)',
      'config file docket.yaml: doors.emq: expected off, open, auth or a token of 32 or more characters',
    ]);
  });

  it('auth settings come from flags and env; secrets are described masked', () => {
    const result = resolved({ flags: { auth: true }, env: { DOCKET_ADMIN_TOKEN: 'x'.repeat(40) } });
    expect(result.config).toMatchObject({ auth: true, adminToken: 'x'.repeat(40) });
    expect(JSON.stringify(describeConfig(result))).not.toContain('x'.repeat(40));
  });

  it('uses the defaults when nothing is given', () => {
    const { config, sources } = resolved({});
    expect(config).toEqual({
      host: '127.0.0.1',
      port: 8080,
      data: './data',
      store: 'sqlite',
      logLevel: 'info',
      shutdownTimeoutMs: 25_000,
      sqsAccountId: '000000000000',
      sqsRegion: 'us-east-1',
      ui: true,
      uiBasePath: '',
      uiReadOnly: false,
      auth: false,
      insecureNoAuth: false,
      openMetrics: false,
      queues: {},
      doors: {},
    });
    expect(sources.port).toBe('default');
  });

  it('reads the dashboard settings from flags, env and file, and refuses a bad base path', () => {
    const off = resolved({ flags: { ui: false }, env: { DOCKET_UI: 'true' } });
    expect(off.config.ui).toBe(false);
    expect(off.sources.ui).toBe('flag --ui');
    const env = resolved({ env: { DOCKET_UI_READ_ONLY: 'yes', DOCKET_UI_BASE_PATH: '/ops/docket' } });
    expect(env.config.uiReadOnly).toBe(true);
    expect(env.config.uiBasePath).toBe('/ops/docket');
    expect(resolved({ file: file({ uiBasePath: '/', ui: false }) }).config).toMatchObject({
      uiBasePath: '',
      ui: false,
    });
    expect(problems({ flags: { uiBasePath: 'docket/' }, env: { DOCKET_UI_READ_ONLY: 'maybe' } })).toEqual([
      expect.stringMatching(/^uiBasePath: expected \/ or a path/),
      expect.stringMatching(/^uiReadOnly: expected true or false, got "maybe"/),
    ]);
  });

  it('takes flags over env over the config file over defaults', () => {
    const content = { port: 7000, host: '10.0.0.1', data: '/file', logLevel: 'warn' };
    const env = { DOCKET_PORT: '7100', DOCKET_DATA: '/env' };
    const { config, sources } = resolved({ flags: { port: '7200' }, env, file: file(content) });
    expect(config.port).toBe(7200);
    expect(sources.port).toBe('flag --port');
    expect(config.data).toBe('/env');
    expect(sources.data).toBe('env DOCKET_DATA');
    expect(config.host).toBe('10.0.0.1');
    expect(sources.host).toBe('config file docket.yaml');
    expect(config.logLevel).toBe('warn');
    expect(config.shutdownTimeoutMs).toBe(25_000);
  });

  it('honours PORT and HOST below their DOCKET_ names', () => {
    expect(resolved({ env: { PORT: '9000' } }).config.port).toBe(9000);
    expect(resolved({ env: { PORT: '9000', DOCKET_PORT: '9001' } }).config.port).toBe(9001);
    expect(resolved({ env: { HOST: '0.0.0.0' } }).config.host).toBe('0.0.0.0');
  });

  it('takes the store from --store, DOCKET_STORE, DATABASE_URL, then REDIS_URL', () => {
    const env = { REDIS_URL: 'redis://127.0.0.1:6379', DATABASE_URL: 'postgres://db/test' };
    expect(resolved({ env: { REDIS_URL: env.REDIS_URL } }).config.store).toBe('redis://127.0.0.1:6379');
    expect(resolved({ env }).sources.store).toBe('env DATABASE_URL');
    expect(resolved({ env: { ...env, DOCKET_STORE: 'sqlite' } }).config.store).toBe('sqlite');
    expect(resolved({ flags: { store: 'postgresql://h/d' }, env }).config.store).toBe('postgresql://h/d');
    expect(problems({ flags: { store: 'mysql://h/d' } })).toEqual([
      'store: expected sqlite or a redis://, rediss://, postgres:// or postgresql:// URL, got "mysql://h/d" (from flag --store)',
    ]);
  });

  it('masks the password of a store URL when describing the config', () => {
    const description = describeConfig(resolved({ flags: { store: 'postgres://docket:s3cret@db:5432/q' } }));
    expect(description['store']).toEqual({ value: 'postgres://docket:***@db:5432/q', source: 'flag --store' });
  });

  it('reads durations with units from every source', () => {
    expect(resolved({ flags: { shutdownTimeout: '5m' } }).config.shutdownTimeoutMs).toBe(300_000);
    expect(resolved({ env: { DOCKET_SHUTDOWN_TIMEOUT: '10s' } }).config.shutdownTimeoutMs).toBe(10_000);
    expect(resolved({ file: file({ shutdownTimeout: 1500 }) }).config.shutdownTimeoutMs).toBe(1500);
  });

  it('reports one line per problem, naming the key and its source', () => {
    const lines = problems({
      flags: { port: 'abc' },
      env: { DOCKET_LOG_LEVEL: 'loud' },
      file: file({ shutdownTimeout: '-3s', prot: 1 }),
    });
    expect(lines).toHaveLength(4);
    expect(lines).toContainEqual(
      expect.stringMatching(/^port: expected an integer from 0 to 65535, got "abc" \(from flag --port\)$/),
    );
    expect(lines).toContainEqual(expect.stringMatching(/^logLevel: expected one of .* \(from env DOCKET_LOG_LEVEL\)$/));
    expect(lines).toContainEqual(expect.stringMatching(/^shutdownTimeout: .* \(from config file docket.yaml\)$/));
    expect(lines).toContainEqual(expect.stringMatching(/unknown key "prot"/));
  });

  it('refuses a config file that is not a mapping', () => {
    expect(problems({ file: file(['a']) })).toEqual(['config file docket.yaml: expected a mapping of keys to values']);
  });

  it('validates declared queues and accepts durations in their Ms keys', () => {
    const good = resolved({ file: file({ queues: { emails: { leaseMs: '30s', maxAttempts: 3 }, plain: null } }) });
    expect(good.config.queues).toEqual({ emails: { leaseMs: 30_000, maxAttempts: 3 }, plain: {} });
    const limited = resolved({
      file: file({ queues: { api: { concurrency: 5, rateLimit: { max: 100, perMs: '1s' }, maxWaiting: 1000 } } }),
    });
    expect(limited.config.queues).toEqual({
      api: { concurrency: 5, rateLimit: { max: 100, perMs: 1_000 }, maxWaiting: 1000 },
    });
    expect(problems({ file: file({ queues: { api: { rateLimit: { max: 0, perMs: '1s' } } } }) }).join('\n')).toMatch(
      /queues\.api\.rateLimit\.max/,
    );
    const lines = problems({ file: file({ queues: { 'bad name!': {}, q: { leaseMs: 1, colour: 'red' } } }) });
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/invalid queue name "bad name!"/);
    expect(lines.slice(1).join('\n')).toMatch(/queues\.q\.leaseMs/);
  });

  it('takes the TLS certificate and key from flags, env or the file, both or neither', () => {
    expect(resolved({}).config.tlsCert).toBeUndefined();
    const both = resolved({ flags: { tlsCert: 'c.pem' }, env: { DOCKET_TLS_KEY: 'k.pem' } });
    expect(both.config).toMatchObject({ tlsCert: 'c.pem', tlsKey: 'k.pem' });
    expect(both.sources).toMatchObject({ tlsCert: 'flag --tls-cert', tlsKey: 'env DOCKET_TLS_KEY' });
    const fromFile = resolved({ file: file({ tlsCert: '/etc/c.pem', tlsKey: '/etc/k.pem' }) });
    expect(fromFile.config).toMatchObject({ tlsCert: '/etc/c.pem', tlsKey: '/etc/k.pem' });
    expect(problems({ flags: { tlsCert: 'c.pem' } })).toEqual([
      'tlsKey: give tlsCert and tlsKey (--tls-cert and --tls-key) together, or neither; only tlsCert was given (from flag --tls-cert)',
    ]);
    expect(problems({ env: { DOCKET_TLS_KEY: 'k.pem' } })).toHaveLength(1);
    expect(problems({ file: file({ tlsCert: 42, tlsKey: 'k.pem' }) })[0]).toMatch(
      /^tlsCert: expected a non-empty string/,
    );
  });

  it('takes the miniqueue RESP door port from --miniqueue-resp-port, DOCKET_MINIQUEUE_RESP_PORT or the file; unset by default', () => {
    expect(resolved({}).config.miniqueueRespPort).toBeUndefined();
    const fromFlag = resolved({ flags: { miniqueueRespPort: '6380' }, env: { DOCKET_MINIQUEUE_RESP_PORT: '6381' } });
    expect(fromFlag.config.miniqueueRespPort).toBe(6380);
    expect(fromFlag.sources.miniqueueRespPort).toBe('flag --miniqueue-resp-port');
    expect(resolved({ env: { DOCKET_MINIQUEUE_RESP_PORT: '0' } }).config.miniqueueRespPort).toBe(0);
    expect(resolved({ file: file({ miniqueueRespPort: 6379 }) }).config.miniqueueRespPort).toBe(6379);
    expect(problems({ flags: { miniqueueRespPort: '70000' } })).toEqual([
      'miniqueueRespPort: expected an integer from 0 to 65535, got "70000" (from flag --miniqueue-resp-port)',
    ]);
  });

  it('takes the SQS door port, account id and region from flags, env or the file; the port unset by default', () => {
    expect(resolved({}).config.sqsPort).toBeUndefined();
    const fromFlag = resolved({ flags: { sqsPort: '9324', sqsRegion: 'eu-west-1' }, env: { DOCKET_SQS_PORT: '9325' } });
    expect([fromFlag.config.sqsPort, fromFlag.config.sqsRegion]).toEqual([9324, 'eu-west-1']);
    expect(fromFlag.sources.sqsPort).toBe('flag --sqs-port');
    expect(resolved({ env: { DOCKET_SQS_ACCOUNT_ID: '123456789012' } }).config.sqsAccountId).toBe('123456789012');
    expect(resolved({ file: file({ sqsPort: 0 }) }).config.sqsPort).toBe(0);
    expect(problems({ flags: { sqsAccountId: '12345', sqsRegion: 'Mars' } })).toEqual([
      'sqsAccountId: expected 12 digits, got "12345" (from flag --sqs-account-id)',
      'sqsRegion: expected a region name such as us-east-1, got "Mars" (from flag --sqs-region)',
    ]);
  });

  it('describes unset TLS settings as null', () => {
    const description = describeConfig(resolved({}));
    expect(description['tlsCert']).toEqual({ value: null, source: 'default' });
  });

  it('describes the effective config with sources', () => {
    const description = describeConfig(resolved({ flags: { shutdownTimeout: '90s' } }));
    expect(description['shutdownTimeout']).toEqual({ value: '90s', source: 'flag --shutdown-timeout' });
    expect(description['port']).toEqual({ value: 8080, source: 'default' });
  });
});
