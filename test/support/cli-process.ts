/** Runs the `docket` command as a child process and collects its output and exit code. */
import { spawn } from 'node:child_process';
import { DOCKET_BIN } from './server-process.ts';

export interface CliResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface CliOptions {
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly input?: string;
  readonly cwd?: string;
  readonly timeoutMs?: number;
}

/** A clean environment: no DOCKET_* or PORT/HOST from the machine running the tests. */
function baseEnv(): Record<string, string | undefined> {
  const inherited = (key: string): boolean => !key.startsWith('DOCKET_') && key !== 'PORT' && key !== 'HOST';
  return Object.fromEntries(Object.entries(process.env).filter(([key]) => inherited(key)));
}

export function runDocket(args: readonly string[], options: CliOptions = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [DOCKET_BIN, ...args], {
      env: { ...baseEnv(), ...options.env },
      cwd: options.cwd ?? process.cwd(),
      stdio: ['pipe', 'pipe', 'pipe'],
      timeout: options.timeoutMs ?? 20_000,
      killSignal: 'SIGKILL',
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(options.input ?? '');
  });
}
