/**
 * The composition root of `docket serve`: config → store (SQLite, Redis or PostgreSQL) → migrate
 * → engine → HTTP app → listen (and the miniqueue RESP door and the SQS door when given ports), and the graceful
 * shutdown that undoes it in reverse. `/readyz`
 * follows the store's probe, so a server whose backend is unreachable answers 503 until it is back.
 *
 * States: starting → running → stopping → stopped. Shutdown (the first SIGTERM or SIGINT):
 * the SQS door, the RESP door and the app stop accepting at once; the SQS door ends its
 * long-polls, the RESP door gives its subscribers' messages back; the app answers new requests on
 * open connections with 503 and `connection: close`, ends its idle streams (giving their held jobs
 * back), sends GOAWAY on HTTP/2 sessions and lets in-flight requests finish (see
 * packages/server/src/shutdown.ts); then the engine closes (background services stop, the pending group commit is flushed, the
 * store closes). It must end within the shutdown timeout; past it, or on a second signal, the
 * process exits with code 1 at once. Nothing acknowledged is lost either way: a 2xx is only
 * sent after its commit.
 */
import { createEngine, type Engine, type Store } from '@docket/core';
import {
  buildApp,
  closeApp,
  createCommitMetrics,
  doorGuard,
  createMetricsRegistry,
  type DocketApp,
  type FrontDoor,
  type MetricsRegistry,
} from '@docket/server';
import { emqDoor } from '@docket/door-emq';
import { miniqueueDoor, startRespDoor, type RespDoor } from '@docket/door-miniqueue';
import { presqueDoor } from '@docket/door-presque';
import { authOptionsOf, browserPolicyOf } from './auth-config.ts';
import type { ServeConfig } from './config.ts';
import { CliError } from './errors.ts';
import { openSqsDoor } from './sqs-door.ts';
import { openStore, type OpenedStore } from './store-factory.ts';
import { loadTlsMaterial } from './tls-files.ts';
import { cliVersion } from './version.ts';

export interface RunningServer {
  readonly url: string;
  /** Resolves with the exit code once the server has stopped. */
  readonly stopped: Promise<number>;
  /** Starts the graceful shutdown (idempotent). */
  stop(reason: string): void;
}

/** The HTTP front doors, miniqueue first: its purge guard must see every route registered after it. */
const FRONT_DOORS: readonly FrontDoor[] = [miniqueueDoor, emqDoor, presqueDoor];

function log(line: string): void {
  process.stderr.write(`docket: ${line}\n`);
}

async function migrate(store: Store, kind: string): Promise<void> {
  try {
    await store.migrate();
  } catch (err) {
    await store.close().catch(() => undefined);
    throw new CliError(`cannot migrate the ${kind} store: ${err instanceof Error ? err.message : String(err)}`, 1, {
      cause: err,
    });
  }
}

async function openEngine(config: ServeConfig, opened: OpenedStore): Promise<Engine> {
  const { store } = opened;
  for (const warning of opened.warnings) log(`warning: ${warning}`);
  await migrate(store, opened.kind);
  const engine = createEngine({
    store,
    onError: (err) => log(`background error: ${err instanceof Error ? err.message : String(err)}`),
  });
  for (const [queue, queueConfig] of Object.entries(config.queues)) await engine.configureQueue(queue, queueConfig);
  return engine;
}

function urlOf(app: DocketApp, host: string, secure: boolean): string {
  const address = app.server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  const shownHost = host.includes(':') ? `[${host}]` : host;
  return `${secure ? 'https' : 'http'}://${shownHost}:${port}`;
}

async function listen(app: DocketApp, engine: Engine, config: ServeConfig): Promise<void> {
  try {
    await app.listen({ host: config.host, port: config.port });
  } catch (err) {
    await closeApp(app).catch(() => undefined);
    await engine.close();
    throw new CliError(
      `cannot listen on ${config.host}:${config.port}: ${err instanceof Error ? err.message : String(err)}`,
      1,
      { cause: err },
    );
  }
}

/**
 * The miniqueue RESP door, when `miniqueueRespPort` is set, under the miniqueue door's policy; a
 * port it cannot take, or the door turned off, stops the start.
 */
async function openRespDoor(
  app: DocketApp,
  engine: Engine,
  config: ServeConfig,
  registry: MetricsRegistry,
): Promise<RespDoor | undefined> {
  if (config.miniqueueRespPort === undefined) return undefined;
  const guard = doorGuard(app, 'miniqueue');
  try {
    if (guard.off) throw new Error('the config file turns the miniqueue door off (doors: { miniqueue: off })');
    const door = await startRespDoor({
      engine,
      host: config.host,
      port: config.miniqueueRespPort,
      log: app.log,
      registry,
      guard,
    });
    log(
      `miniqueue RESP door listening on redis://${config.host.includes(':') ? `[${config.host}]` : config.host}:${door.port}`,
    );
    return door;
  } catch (err) {
    await closeApp(app).catch(() => undefined);
    await engine.close();
    throw new CliError(
      `cannot listen on ${config.host}:${config.miniqueueRespPort} for the miniqueue RESP door: ${err instanceof Error ? err.message : String(err)}`,
      1,
      { cause: err },
    );
  }
}

/** The dashboard plugin, loaded only when served (it brings esbuild, used on the first page load). */
async function loadDashboard(config: ServeConfig): Promise<(app: DocketApp) => Promise<void>> {
  const { dashboard } = await import('@docket/dashboard');
  return dashboard({ basePath: config.uiBasePath, readOnly: config.uiReadOnly });
}

export async function startServer(config: ServeConfig): Promise<RunningServer> {
  const auth = await authOptionsOf(config);
  const tls = await loadTlsMaterial(config);
  const commits = createCommitMetrics();
  const registry = createMetricsRegistry();
  const opened = await openStore(config, commits);
  const engine = await openEngine(config, opened);
  engine.start();
  // The composition root owns the engine: it closes it after the app (closeEngine: false).
  const ui = config.ui ? await loadDashboard(config) : undefined;
  const app = buildApp({
    engine,
    logger: { level: config.logLevel },
    commitMetrics: commits,
    registry,
    buildInfo: { version: cliVersion(), store: opened.kind },
    readyCheck: () => opened.store.probe(),
    closeEngine: false,
    tokens: opened.store,
    browser: browserPolicyOf(config),
    frontDoors: FRONT_DOORS,
    doors: config.doors,
    ...(auth === undefined ? {} : { auth }),
    ...(tls === undefined ? {} : { tls }),
    ...(opened.files === undefined ? {} : { storeFiles: opened.files }),
    ...(ui === undefined ? {} : { ui }),
    uiReadOnly: config.uiReadOnly,
  });
  await listen(app, engine, config);
  const url = urlOf(app, config.host, tls !== undefined);
  log(`listening on ${url} (${opened.kind} store, ${opened.location}, auth ${auth === undefined ? 'off' : 'on'})`);
  const resp = await openRespDoor(app, engine, config, registry);
  const sqs = await openSqsDoor(app, engine, config, log);

  let settle: (code: number) => void = () => undefined;
  const stopped = new Promise<number>((done) => (settle = done));
  let stopping = false;

  const shutdown = async (reason: string): Promise<void> => {
    log(`${reason}: shutting down (limit ${config.shutdownTimeoutMs} ms)`);
    const timer = setTimeout(() => {
      log('shutdown timed out: exiting without waiting further');
      settle(1);
    }, config.shutdownTimeoutMs);
    try {
      // Every listener stops accepting at once; the engine closes once none of them can use it.
      await Promise.all([sqs?.close(), resp?.close(), closeApp(app)]);
      await engine.close();
      log('stopped');
      settle(0);
    } catch (err) {
      log(`shutdown failed: ${err instanceof Error ? err.message : String(err)}`);
      settle(1);
    } finally {
      clearTimeout(timer);
    }
  };

  return {
    url,
    stopped,
    stop(reason) {
      if (stopping) {
        log(`${reason} again: exiting now`);
        settle(1);
        return;
      }
      stopping = true;
      void shutdown(reason);
    },
  };
}
