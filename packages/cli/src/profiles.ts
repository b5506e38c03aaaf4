/**
 * The CLI's profiles file: named sets of client settings (server URL, token or token file, the
 * CA of a server's TLS certificate, timeout), so `docket queues ls --profile prod` needs no
 * other flag. The file is YAML, by default `$XDG_CONFIG_HOME/docket/cli.yaml` (else
 * `~/.config/docket/cli.yaml`), or `$DOCKET_CLI_CONFIG`:
 *
 *   profiles:
 *     prod: { url: https://docket.example.com, tokenFile: ~/.docket/prod.token, caFile: /etc/docket/ca.pem }
 *     local: { url: http://127.0.0.1:8080 }
 *
 * Invariants: a file that holds a token is never read while group or others may read it (exit 2
 * with the chmod to run), and is always written with mode 0600, through a temp file and rename so
 * a crash leaves the old file or the new one. A missing file is an empty one.
 */
import { chmodSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { parseDocument, stringify } from 'yaml';
import { ConfigError } from './errors.ts';

export const PROFILES_ENV = 'DOCKET_CLI_CONFIG';
export const PROFILE_ENV = 'DOCKET_PROFILE';
/** The profile used when none is named, if the file has it. */
export const DEFAULT_PROFILE = 'default';

export const PROFILE_KEYS = ['url', 'token', 'tokenFile', 'caFile', 'timeout'] as const;
export type ProfileKey = (typeof PROFILE_KEYS)[number];
export type Profile = Readonly<Partial<Record<ProfileKey, string>>>;
export type Profiles = Readonly<Record<string, Profile>>;

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const PRIVATE_MODE = 0o600;

export function profilesPath(env: NodeJS.ProcessEnv): string {
  const given = env[PROFILES_ENV];
  if (given !== undefined && given !== '') return given;
  const base = env['XDG_CONFIG_HOME'] !== undefined && env['XDG_CONFIG_HOME'] !== '' ? env['XDG_CONFIG_HOME'] : null;
  return join(base ?? join(homedir(), '.config'), 'docket', 'cli.yaml');
}

export function checkProfileName(name: string): string {
  if (!NAME.test(name)) {
    throw new ConfigError([`profile name ${JSON.stringify(name)}: use 1 to 64 of A-Z a-z 0-9 . _ - (not first)`]);
  }
  return name;
}

/** Refuses a file holding a secret that group or others may read (not checked on Windows). */
export function checkPrivate(path: string, what: string): void {
  if (process.platform === 'win32') return;
  const mode = statSync(path).mode & 0o777;
  if ((mode & 0o077) !== 0) {
    throw new ConfigError([
      `${what} ${path} holds a token and is readable by others (mode 0${mode.toString(8)}): run chmod 600 ${path}`,
    ]);
  }
}

function profileOf(path: string, name: string, value: unknown): Profile {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ConfigError([`profiles file ${path}: profile ${name} must be a mapping of ${PROFILE_KEYS.join(', ')}`]);
  }
  const profile: Partial<Record<ProfileKey, string>> = {};
  for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
    if (!(PROFILE_KEYS as readonly string[]).includes(key)) {
      throw new ConfigError([
        `profiles file ${path}: profile ${name}: unknown key ${key} (keys: ${PROFILE_KEYS.join(', ')})`,
      ]);
    }
    if (typeof item !== 'string' || item === '') {
      throw new ConfigError([`profiles file ${path}: profile ${name}: ${key} must be a non-empty string`]);
    }
    profile[key as ProfileKey] = item;
  }
  if (profile.token !== undefined && profile.tokenFile !== undefined) {
    throw new ConfigError([`profiles file ${path}: profile ${name}: give token or tokenFile, not both`]);
  }
  return profile;
}

/** The profiles of the file at `path` ({} when it does not exist); throws ConfigError (exit 2) when invalid. */
export function readProfiles(path: string): Profiles {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    if (err instanceof Error && 'code' in err && err.code === 'ENOENT') return {};
    const reason = err instanceof Error && 'code' in err ? String(err.code) : String(err);
    throw new ConfigError([`profiles file ${path}: cannot read it (${reason})`]);
  }
  const document = parseDocument(text);
  const problem = document.errors[0];
  if (problem !== undefined) {
    throw new ConfigError([`profiles file ${path}: invalid YAML: ${problem.message.split('\n')[0] ?? problem.code}`]);
  }
  const root = document.toJS() as unknown;
  if (root === null || root === undefined) return {};
  const entries = typeof root === 'object' && !Array.isArray(root) ? (root as Record<string, unknown>) : null;
  const unknown = entries === null ? [] : Object.keys(entries).filter((key) => key !== 'profiles');
  const listed = entries?.['profiles'] ?? {};
  if (
    entries === null ||
    unknown.length > 0 ||
    typeof listed !== 'object' ||
    listed === null ||
    Array.isArray(listed)
  ) {
    throw new ConfigError([`profiles file ${path}: expected a mapping "profiles:" of profile names`]);
  }
  const profiles: Record<string, Profile> = {};
  for (const [name, value] of Object.entries(listed as Record<string, unknown>)) {
    profiles[checkProfileName(name)] = profileOf(path, name, value);
  }
  if (Object.values(profiles).some((profile) => profile.token !== undefined)) checkPrivate(path, 'profiles file');
  return profiles;
}

/** Writes `profiles` to `path` with mode 0600 (the directory made 0700 when new). */
export function writeProfiles(path: string, profiles: Profiles): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const temp = `${path}.${process.pid}.tmp`;
  writeFileSync(temp, stringify({ profiles }), { mode: PRIVATE_MODE });
  chmodSync(temp, PRIVATE_MODE);
  renameSync(temp, path);
}

/** The named profile, `default` when none is named and it exists, or null; an unknown name is exit 2. */
export function chooseProfile(profiles: Profiles, name: string | undefined, path: string): Profile | null {
  if (name === undefined || name === '') return profiles[DEFAULT_PROFILE] ?? null;
  const profile = profiles[name];
  if (profile === undefined) {
    const known = Object.keys(profiles);
    throw new ConfigError([
      `unknown profile ${JSON.stringify(name)}: ${path} has ${known.length === 0 ? 'no profiles' : known.join(', ')} (docket profiles set ${name} --url …)`,
    ]);
  }
  return profile;
}
