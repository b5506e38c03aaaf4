/**
 * The flags of `docket serve` (shared with `docket config print|validate`) and the loading of
 * the effective configuration from flags, environment, config file and defaults.
 */
import { Option, type Command } from 'commander';
import { CONFIG_ENV, SETTINGS, resolveServeConfig, type ResolvedConfig } from './config.ts';
import { readConfigFile } from './config-file.ts';
import { ConfigError } from './errors.ts';

export interface ServeFlags {
  readonly host?: string;
  readonly port?: string;
  readonly data?: string;
  readonly store?: string;
  readonly config?: string;
  readonly logLevel?: string;
  readonly shutdownTimeout?: string;
  readonly tlsCert?: string;
  readonly tlsKey?: string;
  readonly miniqueueRespPort?: string;
  readonly sqsPort?: string;
  readonly sqsAccountId?: string;
  readonly sqsRegion?: string;
  readonly ui?: boolean;
  readonly uiBasePath?: string;
  readonly uiReadOnly?: boolean;
  readonly auth?: boolean;
  readonly adminTokenFile?: string;
  readonly insecureNoAuth?: boolean;
  readonly metricsToken?: string;
  readonly openMetrics?: boolean;
  readonly corsOrigin?: string;
  readonly allowedHosts?: string;
}

const HELP: Readonly<Record<string, { readonly flag: string; readonly text: string }>> = {
  host: { flag: '--host <host>', text: 'address to bind' },
  port: { flag: '--port <port>', text: 'port to listen on (0 picks a free one)' },
  data: { flag: '--data <dir>', text: 'data directory; the SQLite file is docket.db inside it' },
  store: {
    flag: '--store <store>',
    text: 'sqlite (in --data), or a redis:// or postgres:// URL to share one backend between servers',
  },
  logLevel: { flag: '--log-level <level>', text: 'fatal, error, warn, info, debug, trace or silent' },
  shutdownTimeout: { flag: '--shutdown-timeout <duration>', text: 'graceful shutdown limit, such as 25s or 5m' },
  tlsCert: {
    flag: '--tls-cert <file>',
    text: 'PEM certificate chain: with --tls-key, serve HTTPS (HTTP/2 and HTTP/1.1 by ALPN, TLS 1.2+)',
  },
  tlsKey: { flag: '--tls-key <file>', text: 'PEM private key of --tls-cert' },
  miniqueueRespPort: {
    flag: '--miniqueue-resp-port <port>',
    text: "also serve miniqueue's Redis-protocol front end on this port (0 picks a free one; unset: off)",
  },
  sqsPort: {
    flag: '--sqs-port <port>',
    text: 'also serve the SQS-compatible API on this port (0 picks a free one; unset: off; docs use 9324)',
  },
  sqsAccountId: {
    flag: '--sqs-account-id <id>',
    text: "the 12-digit account id in the SQS door's queue URLs and ARNs",
  },
  sqsRegion: { flag: '--sqs-region <region>', text: "the region in the SQS door's queue ARNs" },
  ui: { flag: '--no-ui', text: 'do not serve the dashboard' },
  uiBasePath: {
    flag: '--ui-base-path <path>',
    text: 'serve the dashboard under this path (for a reverse proxy that forwards a prefix)',
  },
  uiReadOnly: { flag: '--ui-read-only', text: "hide the dashboard's actions and refuse its mutating calls" },
  auth: { flag: '--auth', text: 'require an access token on every call but health (docs/security.md)' },
  adminTokenFile: {
    flag: '--admin-token-file <file>',
    text: 'a file holding a bootstrap admin token (32+ characters); turns auth on. Or set DOCKET_ADMIN_TOKEN',
  },
  insecureNoAuth: { flag: '--insecure-no-auth', text: 'allow serving a non-loopback address without auth' },
  metricsToken: { flag: '--metrics-token <token>', text: 'a token for /metrics alone (default: a token with read:*)' },
  openMetrics: { flag: '--open-metrics', text: 'serve /metrics to anyone, even with auth on' },
  corsOrigin: {
    flag: '--cors-origin <origins>',
    text: 'comma-separated origins allowed to call the API from a browser (default: none)',
  },
  allowedHosts: {
    flag: '--allowed-hosts <names>',
    text: 'comma-separated Host names accepted besides loopback ones while bound to loopback',
  },
};

/** Flags carry no commander defaults: resolution must see which sources were actually given. */
export function addServeOptions(command: Command): Command {
  command.option('--config <file>', `YAML config file (env ${CONFIG_ENV})`);
  for (const setting of SETTINGS) {
    const help = HELP[setting.flag];
    if (help === undefined) continue;
    const env = `env ${setting.env.join(' or ')}`;
    const { defaultValue } = setting;
    const shown =
      setting.flag === 'ui'
        ? `served by default; env ${setting.env.join(' or ')}=false`
        : defaultValue === undefined
          ? env
          : `default ${String(setting.describe(defaultValue))}, ${env}`;
    // Declared first so that --no-ui gets no commander default of true (which would hide env and file).
    if (setting.flag === 'ui') command.addOption(new Option('--ui').hideHelp());
    command.option(help.flag, `${help.text} (${shown})`);
  }
  return command.addHelpText(
    'after',
    '\nPrecedence: flags > environment > config file > defaults. Invalid settings print one line each and exit with code 2.',
  );
}

export async function loadServeConfig(flags: ServeFlags, env: NodeJS.ProcessEnv): Promise<ResolvedConfig> {
  const path = flags.config ?? (env[CONFIG_ENV] === '' ? undefined : env[CONFIG_ENV]);
  const file = path === undefined ? undefined : { path, content: await readConfigFile(path) };
  const { parseQueueDeclarations } = await import('./queue-declarations.ts');
  const inputs = { flags: { ...flags }, env, parseQueues: parseQueueDeclarations };
  const result = resolveServeConfig(file === undefined ? inputs : { ...inputs, file });
  if ('problems' in result) throw new ConfigError(result.problems);
  return result.resolved;
}
