/**
 * A real `docket serve` child process for end-to-end and reliability tests: bound to 127.0.0.1,
 * on a temp data directory, started through the `docket` bin exactly as users start it, and
 * stopped by its own PID.
 *
 * States: starting (waits for the "listening on" line, then for /readyz 200) → running →
 * exited. The first start uses port 0 and reads the port the server printed; a restart on the
 * same data directory reuses that port so clients keep their URL.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { get as httpsGet } from 'node:https';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const DOCKET_BIN = new URL('../../packages/cli/bin/docket.js', import.meta.url).pathname;

/** Output kept per process for failure messages; older output is dropped. */
const OUTPUT_KEEP_CHARS = 20_000;
const READY_TIMEOUT_MS = 20_000;
const READY_POLL_MS = 20;

export interface StartOptions {
  /** Passed as `--data`; without it the data directory comes from env or the config file. */
  readonly dataDir?: string;
  /** 0 (the default) lets the server pick a free port. */
  readonly port?: number;
  readonly args?: readonly string[];
  readonly env?: Readonly<Record<string, string>>;
  /** The CA that signed the server's certificate, for a server started with --tls-cert: the URL is https. */
  readonly ca?: string;
}

export interface Exit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

export interface ServerProcess {
  readonly pid: number;
  readonly port: number;
  readonly url: string;
  readonly dataDir: string | undefined;
  readonly exited: Promise<Exit>;
  /** The last few KB of the server's stdout and stderr. */
  output(): string;
  /** Sends `signal` and waits for the exit. */
  stop(signal?: NodeJS.Signals): Promise<Exit>;
}

const running = new Set<ChildProcess>();

export async function makeDataDir(prefix = 'docket-e2e-'): Promise<string> {
  return mkdtemp(join(tmpdir(), prefix));
}

export async function removeDataDir(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
}

function listeningPort(output: string): number | undefined {
  const match = /listening on https?:\/\/[^\s:]+:(\d+)/.exec(output);
  return match === null ? undefined : Number(match[1]);
}

/** GET /readyz's status, 0 when the server does not answer; over TLS the given CA is trusted. */
function readyStatus(url: string, ca: string | undefined): Promise<number> {
  if (ca === undefined) {
    return fetch(`${url}/readyz`, { signal: AbortSignal.timeout(1000) }).then(
      (response) => response.status,
      () => 0,
    );
  }
  return new Promise((resolve) => {
    const request = httpsGet(`${url}/readyz`, { ca, timeout: 1000 }, (response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
    });
    request.on('timeout', () => request.destroy());
    request.on('error', () => resolve(0));
  });
}

async function waitReady(
  url: string,
  ca: string | undefined,
  exited: Promise<Exit>,
  output: () => string,
): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  let gone: Exit | undefined;
  void exited.then((exit) => (gone = exit));
  while (Date.now() < deadline) {
    if (gone !== undefined) throw new Error(`docket serve exited (${JSON.stringify(gone)}) before ready:\n${output()}`);
    const status = await readyStatus(url, ca);
    if (status === 200) return;
    await new Promise((resolve) => setTimeout(resolve, READY_POLL_MS));
  }
  throw new Error(`docket serve was not ready within ${READY_TIMEOUT_MS} ms:\n${output()}`);
}

/** Starts `docket serve` and resolves once /readyz answers 200. */
export async function startServer(options: StartOptions): Promise<ServerProcess> {
  const args = ['serve', '--host', '127.0.0.1', '--port', String(options.port ?? 0)];
  if (options.dataDir !== undefined) args.push('--data', options.dataDir);
  const child = spawn(process.execPath, [DOCKET_BIN, ...args, ...(options.args ?? [])], {
    env: { ...process.env, DOCKET_LOG_LEVEL: 'warn', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  let output = '';
  const keep = (chunk: Buffer): void => {
    output = (output + chunk.toString('utf8')).slice(-OUTPUT_KEEP_CHARS);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const exited = new Promise<Exit>((resolve) =>
    child.once('exit', (code, signal) => {
      running.delete(child);
      resolve({ code, signal });
    }),
  );
  const port = await new Promise<number>((resolve, reject) => {
    const onData = (): void => {
      const found = listeningPort(output);
      if (found !== undefined) {
        child.stderr.off('data', onData);
        resolve(found);
      }
    };
    child.stderr.on('data', onData);
    void exited.then((exit) =>
      reject(new Error(`docket serve exited (${JSON.stringify(exit)}) before listening:\n${output}`)),
    );
  });
  const url = `${options.ca === undefined ? 'http' : 'https'}://127.0.0.1:${port}`;
  await waitReady(url, options.ca, exited, () => output);
  return {
    pid: child.pid ?? -1,
    port,
    url,
    dataDir: options.dataDir,
    exited,
    output: () => output,
    async stop(signal: NodeJS.Signals = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) process.kill(child.pid ?? -1, signal);
      return exited;
    },
  };
}

/** Kills (SIGKILL, by PID) every server this module started that is still running: for afterAll. */
export async function killAllServers(): Promise<void> {
  const waits = [...running].map(
    (child) =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        if (child.pid !== undefined) process.kill(child.pid, 'SIGKILL');
      }),
  );
  await Promise.all(waits);
}
