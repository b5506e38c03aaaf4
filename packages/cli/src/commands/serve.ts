/** `docket serve`: run the server until SIGTERM or SIGINT, then shut down gracefully. */
import type { Command } from 'commander';
import { applyHeapPolicy } from '../heap-policy.ts';
import { addServeOptions, loadServeConfig, type ServeFlags } from '../serve-options.ts';

async function serve(flags: ServeFlags): Promise<void> {
  const { config } = await loadServeConfig(flags, process.env);
  applyHeapPolicy();
  // Loaded here so that admin commands never load the server, the store or their drivers.
  const { startServer } = await import('../server-runtime.ts');
  const server = await startServer(config);
  for (const signal of ['SIGTERM', 'SIGINT'] as const) process.on(signal, () => server.stop(signal));
  const code = await server.stopped;
  // Open keep-alive sockets or timers must not hold a stopped server: exit explicitly.
  process.exit(code);
}

export function registerServe(program: Command): void {
  addServeOptions(
    program
      .command('serve')
      .description('run the Docket server (SQLite in the data directory, or a shared Redis or PostgreSQL with --store)')
      .addHelpText(
        'after',
        '\nExamples:\n  docket serve\n  docket serve --port 9000 --data /var/lib/docket --shutdown-timeout 10s\n  DOCKET_LOG_LEVEL=debug docket serve --config docket.yaml',
      ),
  ).action((flags: ServeFlags) => serve(flags));
}
