/**
 * A TypeScript script run as its own Node process (through tsx, as the repo runs its sources),
 * followed line by line on stdout: end-to-end tests start SDK workers and examples this way and
 * kill them by PID. States: running → exited; `stop` sends a signal and waits for the exit.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
/** Output kept for failure messages; older output is dropped. */
const OUTPUT_KEEP_CHARS = 20_000;

export interface ScriptExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

export interface ScriptProcess {
  readonly pid: number;
  /** Complete stdout lines so far. */
  readonly lines: string[];
  readonly exited: Promise<ScriptExit>;
  /** Resolves with the first line (past or future) that matches, or rejects after `timeoutMs`. */
  waitForLine(match: (line: string) => boolean, timeoutMs?: number): Promise<string>;
  /** stdout and stderr, for failure messages. */
  output(): string;
  stop(signal?: NodeJS.Signals): Promise<ScriptExit>;
}

const running = new Set<ChildProcess>();

export function startScript(path: string, env: Readonly<Record<string, string>>): ScriptProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', path], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  const lines: string[] = [];
  const watchers = new Set<() => void>();
  let partial = '';
  let output = '';
  const keep = (text: string): void => {
    output = (output + text).slice(-OUTPUT_KEEP_CHARS);
  };
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    keep(chunk);
    const parts = (partial + chunk).split('\n');
    partial = parts.pop() ?? '';
    lines.push(...parts);
    for (const watcher of [...watchers]) watcher();
  });
  child.stderr.setEncoding('utf8').on('data', keep);
  const exited = new Promise<ScriptExit>((resolve) =>
    child.once('exit', (code, signal) => {
      running.delete(child);
      resolve({ code, signal });
    }),
  );
  return {
    pid: child.pid ?? -1,
    lines,
    exited,
    output: () => output,
    waitForLine(match, timeoutMs = 20_000) {
      return new Promise((resolve, reject) => {
        const check = (): void => {
          const found = lines.find(match);
          if (found === undefined) return;
          watchers.delete(check);
          clearTimeout(timer);
          resolve(found);
        };
        const timer = setTimeout(() => {
          watchers.delete(check);
          reject(new Error(`no matching line within ${timeoutMs} ms from ${path}:\n${output}`));
        }, timeoutMs);
        watchers.add(check);
        check();
      });
    },
    async stop(signal: NodeJS.Signals = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null && child.pid !== undefined)
        process.kill(child.pid, signal);
      return exited;
    },
  };
}

/** SIGKILLs (by PID) every script this module started that still runs: for afterAll. */
export async function killAllScripts(): Promise<void> {
  await Promise.all(
    [...running].map(
      (child) =>
        new Promise<void>((resolve) => {
          child.once('exit', () => resolve());
          if (child.pid !== undefined) process.kill(child.pid, 'SIGKILL');
        }),
    ),
  );
}
