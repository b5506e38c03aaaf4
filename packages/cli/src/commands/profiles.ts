/**
 * `docket profiles [ls | set <name> … | rm <name>]`: the named client settings of the CLI config
 * file (profiles.ts). `ls` never prints a token, only whether a profile has one; `set` writes
 * the file with mode 0600 and merges into the profile (a new token replaces a token file and the
 * other way round).
 */
import type { Command } from 'commander';
import { durationFlag } from '../client-options.ts';
import { UsageError } from '../errors.ts';
import { note, printData } from '../output.ts';
import {
  DEFAULT_PROFILE,
  checkProfileName,
  profilesPath,
  readProfiles,
  writeProfiles,
  type Profile,
} from '../profiles.ts';

interface SetFlags {
  readonly url?: string;
  readonly token?: string;
  readonly tokenFile?: string;
  readonly caFile?: string;
  readonly timeout?: string;
}

function tokenText(profile: Profile): string {
  if (profile.token !== undefined) return 'in file';
  return profile.tokenFile === undefined ? 'none' : `file ${profile.tokenFile}`;
}

function list(flags: { json?: boolean }): void {
  const path = profilesPath(process.env);
  const profiles = readProfiles(path);
  const view = Object.entries(profiles).map(([name, profile]) => ({
    name,
    default: name === DEFAULT_PROFILE,
    url: profile.url ?? null,
    token: tokenText(profile),
    caFile: profile.caFile ?? null,
    timeout: profile.timeout ?? null,
  }));
  if (flags.json !== true) note(`profiles file: ${path}`);
  printData(
    flags.json === true,
    { path, profiles: view },
    () => view.map((row) => ({ ...row, default: row.default ? 'yes' : '', 'ca-file': row.caFile })),
    ['name', 'url', 'token', 'ca-file', 'timeout', 'default'],
  );
}

function set(name: string, flags: SetFlags): void {
  checkProfileName(name);
  if (flags.token !== undefined && flags.tokenFile !== undefined) {
    throw new UsageError('give --token or --token-file, not both');
  }
  if (flags.url !== undefined && !/^https?:\/\/[^/]/.test(flags.url)) {
    throw new UsageError(`--url: expected an http(s) URL, got ${JSON.stringify(flags.url)}`);
  }
  durationFlag('timeout', flags.timeout);
  const changes = Object.entries(flags).filter(([, value]) => value !== undefined);
  if (changes.length === 0)
    throw new UsageError('nothing to set: give --url, --token, --token-file, --ca-file or --timeout');
  const path = profilesPath(process.env);
  const profiles = readProfiles(path);
  const next: Record<string, string | undefined> = { ...profiles[name], ...Object.fromEntries(changes) };
  if (flags.token !== undefined) delete next['tokenFile'];
  if (flags.tokenFile !== undefined) delete next['token'];
  writeProfiles(path, { ...profiles, [name]: next });
  note(`profile ${name} saved in ${path}`);
}

function remove(name: string): void {
  const path = profilesPath(process.env);
  const profiles = readProfiles(path);
  if (profiles[name] === undefined) throw new UsageError(`unknown profile ${JSON.stringify(name)} in ${path}`);
  writeProfiles(path, Object.fromEntries(Object.entries(profiles).filter(([key]) => key !== name)));
  note(`profile ${name} removed from ${path}`);
}

export function registerProfiles(program: Command): void {
  const profiles = program
    .command('profiles')
    .description(
      'named client settings (url, token or token file, CA file, timeout) in the CLI config file, used with --profile or DOCKET_PROFILE',
    )
    .addHelpText(
      'after',
      `
The file is $DOCKET_CLI_CONFIG, else $XDG_CONFIG_HOME/docket/cli.yaml, else ~/.config/docket/cli.yaml.
It is written with mode 0600; a file holding a token that others may read is refused.
Precedence for every setting: flags > environment > profile > defaults. Without --profile or
DOCKET_PROFILE, the profile named "default" is used when there is one.

Examples:
  docket profiles set prod --url https://docket.example.com --token-file ~/.docket/prod.token --ca-file ca.pem
  docket queues ls --profile prod
  DOCKET_PROFILE=prod docket stats
  docket profiles ls
  docket profiles rm prod`,
    );
  profiles
    .command('ls', { isDefault: true })
    .description('list the profiles (never their tokens)')
    .option('--json', 'print JSON instead of a table')
    .action((flags: { json?: boolean }) => list(flags));
  profiles
    .command('set <name>')
    .description('make or change a profile (only the settings given change)')
    .option('--url <url>', 'server URL')
    .option('--token <token>', 'API token, kept in the file (mode 0600)')
    .option('--token-file <file>', 'read the API token from this file (mode 0600) at each command')
    .option('--ca-file <file>', "PEM CA certificate to trust for the server's TLS certificate")
    .option('--timeout <duration>', 'request timeout, such as 10s')
    .action((name: string, flags: SetFlags) => set(name, flags));
  profiles
    .command('rm <name>')
    .description('delete a profile')
    .action((name: string) => remove(name));
}
