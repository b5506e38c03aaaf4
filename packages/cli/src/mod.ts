export { runCli, buildProgram } from './program.ts';
export { startServer, type RunningServer } from './server-runtime.ts';
export { DATABASE_FILE } from './store-factory.ts';
export {
  resolveServeConfig,
  describeConfig,
  type ServeConfig,
  type ResolvedConfig,
  type ConfigInputs,
} from './config.ts';
export { parseDuration, formatDuration } from './duration.ts';
