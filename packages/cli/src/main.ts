/**
 * Entry point of the `docket` command (see bin/docket.js): runs the program and turns its
 * outcome into the exit code. 0 ok, 1 failure, 2 usage or configuration error.
 */
import { runCli } from './program.ts';

process.exitCode = await runCli(process.argv);
