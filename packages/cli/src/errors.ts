/**
 * Errors that end a command, each with its exit code: 1 for a failure (including an error
 * answer from the server), 2 for bad usage or bad configuration.
 */

export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

export class CliError extends Error {
  readonly exitCode: number;

  constructor(message: string, exitCode: number = EXIT_FAILURE, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
    this.exitCode = exitCode;
  }
}

/** Bad flags or arguments. */
export class UsageError extends CliError {
  constructor(message: string) {
    super(message, EXIT_USAGE);
  }
}

/** Invalid configuration: one line per problem. */
export class ConfigError extends CliError {
  readonly problems: readonly string[];

  constructor(problems: readonly string[]) {
    super(problems.join('\n'), EXIT_USAGE);
    this.problems = problems;
  }
}

/** The server answered with an error; `code` and `message` come from its `{ error }` body. */
export class ServerError extends CliError {
  readonly status: number;
  readonly code: string;

  constructor(status: number, code: string, message: string) {
    super(`${code}: ${message} (HTTP ${status})`);
    this.status = status;
    this.code = code;
  }
}
