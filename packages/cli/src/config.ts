/**
 * The `docket serve` configuration: one table of settings, each readable from a flag, from
 * environment variables and from the config file, resolved with the precedence
 * flags > env > config file > defaults. Resolution is a pure function so it is tested without
 * a process; every problem becomes one line of a ConfigError (exit code 2).
 */
import type { QueueConfig } from '@docket/protocol';
import type { DoorName, DoorPolicy } from '@docket/server';
import { formatDuration, parseDuration } from './duration.ts';
import type { QueueDeclarations } from './queue-declarations.ts';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface ServeConfig {
  readonly host: string;
  readonly port: number;
  /** Data directory; the SQLite file is `docket.db` inside it. */
  readonly data: string;
  /** `sqlite` (the file in `data`), or a `redis://`, `rediss://`, `postgres://` or `postgresql://` URL. */
  readonly store: string;
  readonly logLevel: LogLevel;
  readonly shutdownTimeoutMs: number;
  /** PEM certificate chain and private key files: both serve HTTPS (HTTP/2 and HTTP/1.1), neither cleartext. */
  readonly tlsCert?: string;
  readonly tlsKey?: string;
  /** A port for the miniqueue RESP door (docs/doors/miniqueue.md), on `host`; unset: not served. */
  readonly miniqueueRespPort?: number;
  /** A port for the SQS-compatible door (docs/doors/sqs.md), on `host`; unset: not served. */
  readonly sqsPort?: number;
  /** The account id in the SQS door's queue URLs and ARNs (12 digits). */
  readonly sqsAccountId: string;
  /** The region in the SQS door's queue ARNs. */
  readonly sqsRegion: string;
  /** Serve the dashboard (`--no-ui` turns it off). */
  readonly ui: boolean;
  /** The path the dashboard is served under, for a reverse proxy that forwards a prefix. */
  readonly uiBasePath: string;
  /** The dashboard hides its actions and the server refuses the dashboard's mutating calls. */
  readonly uiReadOnly: boolean;
  /** Authentication on (docs/security.md); also on when an admin token is given. */
  readonly auth: boolean;
  /** The bootstrap admin token (DOCKET_ADMIN_TOKEN), or a file holding it. Never printed. */
  readonly adminToken?: string;
  readonly adminTokenFile?: string;
  /** Serve a non-loopback address without auth anyway. */
  readonly insecureNoAuth: boolean;
  /** A token for `/metrics` alone; without it, `/metrics` needs a token with read:* (or openMetrics). */
  readonly metricsToken?: string;
  /** `/metrics` open to anyone even with auth on. */
  readonly openMetrics: boolean;
  /** Origins allowed to call the API from a browser (comma-separated); none by default. */
  readonly corsOrigin?: string;
  /** Host names accepted besides loopback ones when bound to loopback (comma-separated). */
  readonly allowedHosts?: string;
  /** Queues declared in the config file, created (or reconfigured) idempotently at start. */
  readonly queues: Readonly<Record<string, QueueConfig>>;
  /** Front-door policies from the config file's `doors:` (docs/security.md); unset doors: `auth`. */
  readonly doors: Readonly<Partial<Record<DoorName, DoorPolicy>>>;
}

type ScalarKey = Exclude<keyof ServeConfig, 'queues' | 'doors'>;
type Value = string | number | boolean;

const DOORS = ['emq', 'presque', 'miniqueue'] as const satisfies readonly DoorName[];

/** `doors: { emq: open, presque: off, miniqueue: dkt_… }`: each a policy word or a token. */
function parseDoors(raw: unknown, where: string, problems: string[]): Partial<Record<DoorName, DoorPolicy>> {
  if (raw === undefined || raw === null) return {};
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    problems.push(`${where}: doors: expected a mapping of door names (${DOORS.join(', ')}) to policies`);
    return {};
  }
  const doors: Partial<Record<DoorName, DoorPolicy>> = {};
  for (const [name, value] of Object.entries(raw as Record<string, unknown>)) {
    const door = DOORS.find((d) => d === name);
    if (door === undefined) {
      problems.push(`${where}: doors: unknown door ${JSON.stringify(name)} (known: ${DOORS.join(', ')})`);
    } else if (value === 'off' || value === 'open' || value === 'auth') {
      doors[door] = value;
    } else if (typeof value === 'string' && value.length >= 32) {
      doors[door] = { token: value };
    } else {
      problems.push(`${where}: doors.${door}: expected off, open, auth or a token of 32 or more characters`);
    }
  }
  return doors;
}
type Parsed = { readonly value: Value } | { readonly error: string };

interface Setting {
  readonly key: ScalarKey;
  /** The YAML key. */
  readonly fileKey: string;
  readonly flag: string;
  /** Environment variables, strongest first. */
  readonly env: readonly string[];
  /** Undefined: the setting stays unset unless a source gives it. */
  readonly defaultValue: Value | undefined;
  readonly describe: (value: Value) => Value;
  readonly parse: (raw: unknown) => Parsed;
}

function text(raw: unknown): Parsed {
  return typeof raw === 'string' && raw.trim() !== ''
    ? { value: raw.trim() }
    : { error: 'expected a non-empty string' };
}

function port(raw: unknown): Parsed {
  const value = typeof raw === 'string' && /^\d+$/.test(raw.trim()) ? Number(raw) : raw;
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= 65_535
    ? { value }
    : { error: 'expected an integer from 0 to 65535' };
}

/** Longer than Kubernetes' default 30 s grace is allowed, but more than an hour is a typo. */
const MAX_SHUTDOWN_TIMEOUT_MS = 3_600_000;

function shutdownTimeout(raw: unknown): Parsed {
  const ms = typeof raw === 'string' || typeof raw === 'number' ? parseDuration(raw) : undefined;
  return ms !== undefined && ms > 0 && ms <= MAX_SHUTDOWN_TIMEOUT_MS
    ? { value: ms }
    : { error: 'expected a duration from 1ms to 1h such as 25s or 5m' };
}

function accountId(raw: unknown): Parsed {
  const value = typeof raw === 'number' ? String(raw).padStart(12, '0') : raw;
  return typeof value === 'string' && /^\d{12}$/.test(value.trim())
    ? { value: value.trim() }
    : { error: 'expected 12 digits' };
}

function region(raw: unknown): Parsed {
  return typeof raw === 'string' && /^[a-z]{2}(-[a-z0-9]+)+$/.test(raw.trim())
    ? { value: raw.trim() }
    : { error: 'expected a region name such as us-east-1' };
}

function logLevel(raw: unknown): Parsed {
  return typeof raw === 'string' && (LOG_LEVELS as readonly string[]).includes(raw)
    ? { value: raw }
    : { error: `expected one of ${LOG_LEVELS.join(', ')}` };
}

const plain = (value: Value): Value => value;

const TRUE_TEXT = ['true', '1', 'yes', 'on'];
const FALSE_TEXT = ['false', '0', 'no', 'off'];

function flag(raw: unknown): Parsed {
  if (typeof raw === 'boolean') return { value: raw };
  const text = typeof raw === 'string' ? raw.trim().toLowerCase() : '';
  if (TRUE_TEXT.includes(text)) return { value: true };
  if (FALSE_TEXT.includes(text)) return { value: false };
  return { error: 'expected true or false' };
}

/** `/` or a path such as `/docket`: starts with `/`, no trailing `/`, no query, no `..`. */
function basePath(raw: unknown): Parsed {
  const text = typeof raw === 'string' ? raw.trim() : '';
  if (text === '/') return { value: '' };
  return /^(\/[A-Za-z0-9._~-]+)+$/.test(text) && !text.split('/').includes('..')
    ? { value: text }
    : { error: 'expected / or a path such as /docket (letters, digits, . _ ~ -; no trailing /)' };
}
const masked = (): string => '***';

const STORE_SCHEMES = ['redis:', 'rediss:', 'postgres:', 'postgresql:'];

function store(raw: unknown): Parsed {
  if (raw === 'sqlite') return { value: raw };
  const url = typeof raw === 'string' && URL.canParse(raw) ? new URL(raw) : null;
  return url !== null && STORE_SCHEMES.includes(url.protocol)
    ? { value: String(raw) }
    : { error: 'expected sqlite or a redis://, rediss://, postgres:// or postgresql:// URL' };
}

/** Store URLs carry passwords: `config print` and the start-up line show them masked. */
export function maskStoreUrl(value: Value): string {
  const text = String(value);
  if (!URL.canParse(text)) return text;
  const url = new URL(text);
  if (url.password !== '') url.password = '***';
  return url.toString();
}

export const SETTINGS: readonly Setting[] = [
  {
    key: 'host',
    fileKey: 'host',
    flag: 'host',
    env: ['DOCKET_HOST', 'HOST'],
    defaultValue: '127.0.0.1',
    describe: plain,
    parse: text,
  },
  {
    key: 'port',
    fileKey: 'port',
    flag: 'port',
    env: ['DOCKET_PORT', 'PORT'],
    defaultValue: 8080,
    describe: plain,
    parse: port,
  },
  {
    key: 'data',
    fileKey: 'data',
    flag: 'data',
    env: ['DOCKET_DATA'],
    defaultValue: './data',
    describe: plain,
    parse: text,
  },
  {
    key: 'store',
    fileKey: 'store',
    flag: 'store',
    env: ['DOCKET_STORE', 'DATABASE_URL', 'REDIS_URL'],
    defaultValue: 'sqlite',
    describe: maskStoreUrl,
    parse: store,
  },
  {
    key: 'logLevel',
    fileKey: 'logLevel',
    flag: 'logLevel',
    env: ['DOCKET_LOG_LEVEL'],
    defaultValue: 'info',
    describe: plain,
    parse: logLevel,
  },
  {
    key: 'tlsCert',
    fileKey: 'tlsCert',
    flag: 'tlsCert',
    env: ['DOCKET_TLS_CERT'],
    defaultValue: undefined,
    describe: plain,
    parse: text,
  },
  {
    key: 'tlsKey',
    fileKey: 'tlsKey',
    flag: 'tlsKey',
    env: ['DOCKET_TLS_KEY'],
    defaultValue: undefined,
    describe: plain,
    parse: text,
  },
  {
    key: 'miniqueueRespPort',
    fileKey: 'miniqueueRespPort',
    flag: 'miniqueueRespPort',
    env: ['DOCKET_MINIQUEUE_RESP_PORT'],
    defaultValue: undefined,
    describe: plain,
    parse: port,
  },
  {
    key: 'sqsPort',
    fileKey: 'sqsPort',
    flag: 'sqsPort',
    env: ['DOCKET_SQS_PORT'],
    defaultValue: undefined,
    describe: plain,
    parse: port,
  },
  {
    key: 'sqsAccountId',
    fileKey: 'sqsAccountId',
    flag: 'sqsAccountId',
    env: ['DOCKET_SQS_ACCOUNT_ID'],
    defaultValue: '000000000000',
    describe: plain,
    parse: accountId,
  },
  {
    key: 'sqsRegion',
    fileKey: 'sqsRegion',
    flag: 'sqsRegion',
    env: ['DOCKET_SQS_REGION'],
    defaultValue: 'us-east-1',
    describe: plain,
    parse: region,
  },
  {
    key: 'ui',
    fileKey: 'ui',
    flag: 'ui',
    env: ['DOCKET_UI'],
    defaultValue: true,
    describe: plain,
    parse: flag,
  },
  {
    key: 'uiBasePath',
    fileKey: 'uiBasePath',
    flag: 'uiBasePath',
    env: ['DOCKET_UI_BASE_PATH'],
    defaultValue: '/',
    describe: (value) => (value === '' ? '/' : value),
    parse: basePath,
  },
  {
    key: 'uiReadOnly',
    fileKey: 'uiReadOnly',
    flag: 'uiReadOnly',
    env: ['DOCKET_UI_READ_ONLY'],
    defaultValue: false,
    describe: plain,
    parse: flag,
  },
  {
    key: 'auth',
    fileKey: 'auth',
    flag: 'auth',
    env: ['DOCKET_AUTH'],
    defaultValue: false,
    describe: plain,
    parse: flag,
  },
  {
    key: 'adminToken',
    fileKey: 'adminToken',
    flag: 'adminToken',
    env: ['DOCKET_ADMIN_TOKEN'],
    defaultValue: undefined,
    describe: masked,
    parse: text,
  },
  {
    key: 'adminTokenFile',
    fileKey: 'adminTokenFile',
    flag: 'adminTokenFile',
    env: ['DOCKET_ADMIN_TOKEN_FILE'],
    defaultValue: undefined,
    describe: plain,
    parse: text,
  },
  {
    key: 'insecureNoAuth',
    fileKey: 'insecureNoAuth',
    flag: 'insecureNoAuth',
    env: ['DOCKET_INSECURE_NO_AUTH'],
    defaultValue: false,
    describe: plain,
    parse: flag,
  },
  {
    key: 'metricsToken',
    fileKey: 'metricsToken',
    flag: 'metricsToken',
    env: ['DOCKET_METRICS_TOKEN'],
    defaultValue: undefined,
    describe: masked,
    parse: text,
  },
  {
    key: 'openMetrics',
    fileKey: 'openMetrics',
    flag: 'openMetrics',
    env: ['DOCKET_OPEN_METRICS'],
    defaultValue: false,
    describe: plain,
    parse: flag,
  },
  {
    key: 'corsOrigin',
    fileKey: 'corsOrigin',
    flag: 'corsOrigin',
    env: ['DOCKET_CORS_ORIGIN'],
    defaultValue: undefined,
    describe: plain,
    parse: text,
  },
  {
    key: 'allowedHosts',
    fileKey: 'allowedHosts',
    flag: 'allowedHosts',
    env: ['DOCKET_ALLOWED_HOSTS'],
    defaultValue: undefined,
    describe: plain,
    parse: text,
  },
  {
    key: 'shutdownTimeoutMs',
    fileKey: 'shutdownTimeout',
    flag: 'shutdownTimeout',
    env: ['DOCKET_SHUTDOWN_TIMEOUT'],
    defaultValue: 25_000,
    describe: (ms) => formatDuration(Number(ms)),
    parse: shutdownTimeout,
  },
];

/** The environment variable that names the config file, below the `--config` flag. */
export const CONFIG_ENV = 'DOCKET_CONFIG';

export interface ConfigInputs {
  /** Raw flag values by Setting.flag (commander's camel-cased option names). */
  readonly flags: Readonly<Record<string, string | boolean | undefined>>;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** The parsed config file, if one was given. */
  readonly file?: { readonly path: string; readonly content: unknown };
  /**
   * Validates the file's `queues` (queue-declarations.ts). Injected because it loads TypeBox,
   * which admin commands that only print help should not pay for.
   */
  readonly parseQueues: (raw: unknown, where: string) => QueueDeclarations;
}

export interface ResolvedConfig {
  readonly config: ServeConfig;
  /** Where each key came from: `flag --port`, `env PORT`, `config file docket.yaml`, `default`. */
  readonly sources: Readonly<Record<keyof ServeConfig, string>>;
}

interface Candidate {
  readonly raw: unknown;
  readonly source: string;
}

function candidate(setting: Setting, inputs: ConfigInputs, fileObject: Record<string, unknown>): Candidate {
  const flag = inputs.flags[setting.flag];
  if (flag !== undefined) return { raw: flag, source: `flag --${kebab(setting.flag)}` };
  for (const name of setting.env) {
    const value = inputs.env[name];
    if (value !== undefined && value !== '') return { raw: value, source: `env ${name}` };
  }
  if (setting.fileKey in fileObject)
    return { raw: fileObject[setting.fileKey], source: `config file ${inputs.file?.path ?? ''}` };
  return { raw: setting.defaultValue, source: 'default' };
}

function kebab(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

function fileObjectOf(inputs: ConfigInputs, problems: string[]): Record<string, unknown> {
  const content = inputs.file?.content;
  if (content === undefined || content === null) return {};
  if (typeof content !== 'object' || Array.isArray(content)) {
    problems.push(`config file ${inputs.file?.path ?? ''}: expected a mapping of keys to values`);
    return {};
  }
  const known = new Set([...SETTINGS.map((s) => s.fileKey), 'queues', 'doors']);
  for (const key of Object.keys(content)) {
    if (!known.has(key))
      problems.push(
        `config file ${inputs.file?.path ?? ''}: unknown key ${JSON.stringify(key)} (known: ${[...known].join(', ')})`,
      );
  }
  return content as Record<string, unknown>;
}

/** A certificate without its key (or the reverse) is one problem, on one line. */
function tlsPairProblem(
  values: Partial<Record<ScalarKey, Value>>,
  sources: Partial<Record<keyof ServeConfig, string>>,
): string | null {
  const hasCert = values.tlsCert !== undefined;
  if (hasCert === (values.tlsKey !== undefined)) return null;
  const present = hasCert ? 'tlsCert' : 'tlsKey';
  const missing = hasCert ? 'tlsKey' : 'tlsCert';
  return `${missing}: give tlsCert and tlsKey (--tls-cert and --tls-key) together, or neither; only ${present} was given (from ${sources[present] ?? 'default'})`;
}

/** Resolves every setting; throws nothing, returns all the problems at once. */
export function resolveServeConfig(inputs: ConfigInputs): { resolved: ResolvedConfig } | { problems: string[] } {
  const problems: string[] = [];
  const fileObject = fileObjectOf(inputs, problems);
  const values: Partial<Record<ScalarKey, Value>> = {};
  const sources: Partial<Record<keyof ServeConfig, string>> = {};
  for (const setting of SETTINGS) {
    const { raw, source } = candidate(setting, inputs, fileObject);
    sources[setting.key] = source;
    if (raw === undefined) continue;
    const parsed = setting.parse(raw);
    if ('error' in parsed)
      problems.push(`${setting.fileKey}: ${parsed.error}, got ${JSON.stringify(raw)} (from ${source})`);
    else values[setting.key] = parsed.value;
  }
  const tlsProblem = tlsPairProblem(values, sources);
  if (tlsProblem !== null) problems.push(tlsProblem);
  const queues = inputs.parseQueues(fileObject['queues'], `config file ${inputs.file?.path ?? ''}`);
  problems.push(...queues.problems);
  sources.queues = fileObject['queues'] === undefined ? 'default' : `config file ${inputs.file?.path ?? ''}`;
  const doors = parseDoors(fileObject['doors'], `config file ${inputs.file?.path ?? ''}`, problems);
  sources.doors = fileObject['doors'] === undefined ? 'default' : `config file ${inputs.file?.path ?? ''}`;
  if (problems.length > 0) return { problems };
  const config = { ...values, queues: queues.queues, doors } as ServeConfig;
  return { resolved: { config, sources: sources as Record<keyof ServeConfig, string> } };
}

/** The effective config as printable lines `key: value  (source)`, for `docket config print`. */
export function describeConfig(resolved: ResolvedConfig): Record<string, { value: unknown; source: string }> {
  const out: Record<string, { value: unknown; source: string }> = {};
  for (const setting of SETTINGS) {
    const value = resolved.config[setting.key];
    out[setting.fileKey] = {
      value: value === undefined ? null : setting.describe(value),
      source: resolved.sources[setting.key],
    };
  }
  out['queues'] = { value: resolved.config.queues, source: resolved.sources.queues };
  const doors = Object.entries(resolved.config.doors).map(([door, policy]) => [
    door,
    typeof policy === 'string' ? policy : '***',
  ]);
  out['doors'] = { value: Object.fromEntries(doors), source: resolved.sources.doors };
  return out;
}
