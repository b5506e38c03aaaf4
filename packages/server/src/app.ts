/**
 * buildApp: the fastify app of Docket's HTTP API over a built engine. It does not listen; the
 * composition root (`docket serve`) listens, and tests use `app.inject()`.
 */
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Registry } from 'prom-client';
import type { Engine } from '@docket/core';
import pkg from '../package.json' with { type: 'json' };
import { readUnknownLengthBodies, useJsonParser } from './body-parsers.ts';
import { closeUpgradedAfterAnswer, guardConnections, refuseClientError } from './connection-guards.ts';
import type { FrontDoor } from './doors/door-context.ts';
import { registerDoors } from './doors/register.ts';
import { installErrorHandlers, sendError } from './error-handler.ts';
import { DEFAULT_LIMITS, DEFAULT_TIMEOUTS, type ServerLimits, type ServerTimeouts } from './limits.ts';
import { serverFactory } from './listeners/server-factory.ts';
import type { TlsMaterial } from './listeners/tls-server.ts';
import { RequestLogController, lazyChildLogger, loggerOptions, type LoggerOptions } from './logger.ts';
import { createCommitMetrics, type CommitMetrics } from './metrics/commit-metrics.ts';
import { createMetrics } from './metrics/metrics.ts';
import { createAuthenticator, openAuthenticator, type AuthOptions } from './auth/authenticator.ts';
import { installAuthHooks, type MetricsPolicy } from './auth/auth-hooks.ts';
import { JobQueues } from './auth/job-queues.ts';
import { DEFAULT_BROWSER_POLICY, type BrowserPolicy } from './auth/browser-guard.ts';
import { installBrowserHooks } from './auth/browser-hooks.ts';
import { createDoorGuard, rememberDoorGuards } from './auth/door-guard.ts';
import { installDoorHooks, type DoorPolicies } from './auth/door-hooks.ts';
import { authFailureLimiter, type FailureLimiter } from './auth/failure-limiter.ts';
import { createFailureAccounting } from './auth/failure-accounting.ts';
import { createTokenAdmin } from './auth/token-admin.ts';
import type { TokenStore } from './auth/token-store.ts';
import { registerOpenApi } from './openapi.ts';
import { installRequestHooks } from './request-hooks.ts';
import { registerActivityStream } from './routes/activity.ts';
import { healthRoutes } from './routes/health.ts';
import { jobRoutes } from './routes/jobs.ts';
import { leaseRoutes } from './routes/lease.ts';
import { metricsRoutes } from './routes/metrics.ts';
import { queueRoutes } from './routes/queues.ts';
import { registerEventStream } from './routes/events.ts';
import { registerRoutes } from './routes/register.ts';
import { scheduleRoutes } from './routes/schedules.ts';
import { ScheduleSchema } from './schemas/schedules.ts';
import { registerConsumerStream } from './routes/stream.ts';
import type { Route, StoreFile } from './routes/route.ts';
import { sessionRoutes } from './routes/session.ts';
import { statsRoutes } from './routes/stats.ts';
import { tokenRoutes } from './routes/tokens.ts';
import { workerRoutes } from './routes/workers.ts';
import { SHARED_SCHEMAS } from './schemas/entities.ts';
import { TokenSchema } from './schemas/tokens.ts';
import { buildSerializer } from './serializers.ts';
import { DEFAULT_STREAM_LIMITS, type StreamLimits } from './streaming/stream-limits.ts';
import { attachLifecycle } from './shutdown.ts';
import { DepthHistory } from './stats/depth-history.ts';
import { QueueTotals } from './stats/queue-totals.ts';
import { Throughput } from './stats/throughput.ts';
import { refuseMutationsFromUi } from './ui-read-only.ts';
import { validatorCompiler } from './validation.ts';

export interface BuildAppOptions {
  readonly engine: Engine;
  /** pino options (level, destination stream…); redaction of credentials is always added. */
  readonly logger?: LoggerOptions | false;
  /** A ready logger instead (its redaction is the caller's business). */
  readonly loggerInstance?: FastifyBaseLogger;
  readonly limits?: Partial<ServerLimits>;
  readonly timeouts?: Partial<ServerTimeouts>;
  /** Metrics registry (default: a new one per app). */
  readonly registry?: Registry;
  /** `process_*` and `nodejs_*` metrics (default true). */
  readonly defaultMetrics?: boolean;
  /** Storage commit histograms fed by the store (see createCommitMetrics). */
  readonly commitMetrics?: CommitMetrics;
  /** Labels of docket_build_info (default: this package's version, store "unknown"). */
  readonly buildInfo?: { readonly version?: string; readonly store?: string };
  /** Readiness beyond shutdown: resolves to null when ready, or to why not (/readyz answers 503). */
  readonly readyCheck?: () => Promise<string | null>;
  /** Close the engine when the app closes, after in-flight requests (default true). */
  readonly closeEngine?: boolean;
  /** Consumer stream and event stream tunables (streaming/stream-limits.ts). */
  readonly streams?: Partial<StreamLimits>;
  /** Serve HTTPS (HTTP/2 and HTTP/1.1 by ALPN) with this certificate; without, cleartext HTTP/1.1 and h2c. */
  readonly tls?: TlsMaterial;
  /** The files of the store and their sizes, for `GET /v1/server` (the CLI passes a SQLite store's). */
  readonly storeFiles?: () => Promise<StoreFile[]>;
  /**
   * A web UI to mount (the CLI passes `@docket/dashboard`'s); the server never imports one. It
   * registers its own routes and may use only the public `/v1` API from the browser.
   */
  readonly ui?: (app: FastifyInstance) => Promise<void>;
  /** Refuse every mutating `/v1` call a UI session makes (`--ui-read-only`); see ui-read-only.ts. */
  readonly uiReadOnly?: boolean;
  /** Where access tokens live (the server's store); with it, `/v1/tokens` manages them. */
  readonly tokens?: TokenStore;
  /** Host and cross-site checks and CORS (auth/browser-guard.ts); default: any Host, no CORS. */
  readonly browser?: Partial<BrowserPolicy>;
  /** The front doors' HTTP parts to serve, in registration order (the CLI passes the door packages'). */
  readonly frontDoors?: readonly FrontDoor[];
  /** Each front door's policy (auth/door-access.ts); default `auth`. */
  readonly doors?: DoorPolicies;
  /** Turns authentication on (needs `tokens`); see docs/security.md. Without it every request is allowed. */
  readonly auth?: AppAuthOptions;
}

export interface AppAuthOptions extends Omit<AuthOptions, 'tokens'> {
  /** Who may scrape `/metrics` (default `auth`: a token with read on every queue). */
  readonly metrics?: MetricsPolicy;
}

export type DocketApp = FastifyInstance;

export const API_ROUTES: readonly Route[] = [
  ...jobRoutes,
  ...scheduleRoutes,
  ...leaseRoutes,
  ...queueRoutes,
  ...workerRoutes,
  ...statsRoutes,
  ...healthRoutes,
  ...metricsRoutes,
  ...sessionRoutes,
];

function authenticatorOf(options: BuildAppOptions, limiter: FailureLimiter) {
  if (options.auth === undefined) return openAuthenticator();
  if (options.tokens === undefined) throw new TypeError('buildApp: auth needs a token store (options.tokens)');
  return createAuthenticator({ ...options.auth, tokens: options.tokens }, limiter);
}

function createFastify(options: BuildAppOptions, limits: ServerLimits, timeouts: ServerTimeouts): FastifyInstance {
  return Fastify({
    ...(options.loggerInstance === undefined
      ? { logger: options.logger === false ? false : loggerOptions(options.logger ?? {}) }
      : { loggerInstance: options.loggerInstance }),
    logController: new RequestLogController(),
    childLoggerFactory: lazyChildLogger,
    bodyLimit: limits.bodyBytes,
    routerOptions: { maxParamLength: limits.maxParamLength },
    return503OnClosing: false,
    clientErrorHandler: refuseClientError,
    schemaController: { compilersFactory: { buildSerializer } },
    frameworkErrors: (err, request, reply) => {
      closeUpgradedAfterAnswer(request, reply);
      sendError(err, request, reply);
    },
    /** The listeners and their timeouts: listeners/server-factory.ts. */
    serverFactory: serverFactory(options.tls, timeouts),
    /** With a serverFactory, fastify reads this only to say https in its listening line and listeningOrigin. */
    ...(options.tls === undefined ? {} : { https: true }),
  });
}

/**
 * @example
 * const app = buildApp({ engine, logger: { level: 'info' } });
 * await app.listen({ host: '127.0.0.1', port: 8080 });
 * process.once('SIGTERM', () => void closeApp(app));
 */
export function buildApp(options: BuildAppOptions): DocketApp {
  const limits = { ...DEFAULT_LIMITS, ...options.limits };
  const timeouts = { ...DEFAULT_TIMEOUTS, ...options.timeouts };
  const app = createFastify(options, limits, timeouts);
  const version = options.buildInfo?.version ?? pkg.version;
  const lifecycle = attachLifecycle(app);
  const metrics = createMetrics({
    engine: options.engine,
    ...(options.registry === undefined ? {} : { registry: options.registry }),
    commitMetrics: options.commitMetrics ?? createCommitMetrics(),
    defaultMetrics: options.defaultMetrics ?? true,
    buildInfo: { version, store: options.buildInfo?.store ?? 'unknown' },
    onScrapeError: (err) => app.log.warn({ err }, 'metrics scrape could not read queue counts'),
  });
  app.setValidatorCompiler(validatorCompiler);
  for (const schema of SHARED_SCHEMAS) app.addSchema(schema);
  app.addSchema(ScheduleSchema);
  if (options.tokens !== undefined) app.addSchema(TokenSchema);
  // One failure budget per client address for every surface: tokens, the metrics token, door tokens.
  const limiter = authFailureLimiter(options.auth?.failureBurst);
  const authenticator = authenticatorOf(options, limiter);
  authenticator.onFailure((reason) => metrics.authFailed(reason));
  const failures = createFailureAccounting({ limiter, onFailure: (reason) => metrics.authFailed(reason) });
  rememberDoorGuards(app, (door) =>
    createDoorGuard({
      policy: door === 'sqs' ? 'auth' : (options.doors?.[door] ?? 'auth'),
      authenticator,
      failures,
    }),
  );
  useJsonParser(app, limits.bodyBytes);
  readUnknownLengthBodies(app);
  guardConnections(app);
  installErrorHandlers(app);
  installRequestHooks(app, lifecycle, metrics);
  installBrowserHooks(app, { ...DEFAULT_BROWSER_POLICY, ...options.browser });
  const doors = { policies: options.doors ?? {}, authenticator, jobs: new JobQueues(options.engine), failures };
  installDoorHooks(app, doors);
  installAuthHooks(app, { ...doors, metrics: options.auth === undefined ? 'open' : (options.auth.metrics ?? 'auth') });
  registerOpenApi(app, version);
  if (options.uiReadOnly === true) refuseMutationsFromUi(app);
  const throughput = new Throughput(options.engine.events);
  const depth = new DepthHistory();
  const ctx = {
    engine: options.engine,
    lifecycle,
    metrics,
    readyCheck: options.readyCheck ?? (() => Promise.resolve(null)),
    facts: {
      version,
      startedAt: Date.now(),
      storeKind: options.buildInfo?.store ?? 'unknown',
      storeFiles: options.storeFiles ?? (() => Promise.resolve([])),
    },
    throughput,
    totals: new QueueTotals(options.engine, depth),
    depth,
    authenticator,
  };
  registerRoutes(app, API_ROUTES, ctx, limits);
  if (options.tokens !== undefined) {
    registerRoutes(app, tokenRoutes(createTokenAdmin(options.tokens, authenticator, Date.now)), ctx, limits);
  }
  registerDoors(app, ctx, limits, options.frontDoors ?? []);
  const streams = { ...DEFAULT_STREAM_LIMITS, ...options.streams };
  registerConsumerStream(app, ctx, streams);
  registerEventStream(app, ctx, limits, streams);
  registerActivityStream(app, ctx, limits, streams);
  if (options.ui !== undefined) void app.register(options.ui);
  app.addHook('onClose', async () => {
    throughput.close();
    metrics.close();
    if (options.closeEngine !== false) await options.engine.close();
  });
  return app;
}
