export { runCli, buildProgram } from './program.ts';
export { startServer, DATABASE_FILE, type RunningServer } from './server-runtime.ts';
export {
  resolveServeConfig,
  describeConfig,
  type ServeConfig,
  type ResolvedConfig,
  type ConfigInputs,
} from './config.ts';
export { parseDuration, formatDuration } from './duration.ts';
