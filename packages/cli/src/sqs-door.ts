/**
 * The SQS-compatible door (`@docket/door-sqs`), when `sqsPort` is set: started on its own
 * listener after the HTTP app, over the same engine and the app's access control (SigV4 with
 * Docket tokens while auth is on), and closed before it. A port it cannot take
 * stops the start.
 */
import type { Engine } from '@docket/core';
import { startSqsDoor, type SqsDoor } from '@docket/door-sqs';
import { closeApp, doorGuard, type DocketApp } from '@docket/server';
import type { ServeConfig } from './config.ts';
import { CliError } from './errors.ts';

export async function openSqsDoor(
  app: DocketApp,
  engine: Engine,
  config: ServeConfig,
  log: (line: string) => void,
): Promise<SqsDoor | undefined> {
  if (config.sqsPort === undefined) return undefined;
  try {
    const door = await startSqsDoor({
      engine,
      host: config.host,
      port: config.sqsPort,
      accountId: config.sqsAccountId,
      region: config.sqsRegion,
      log: app.log,
      guard: doorGuard(app, 'sqs'),
    });
    const host = config.host.includes(':') ? `[${config.host}]` : config.host;
    log(`SQS door listening on http://${host}:${door.port} (account ${config.sqsAccountId}, ${config.sqsRegion})`);
    return door;
  } catch (err) {
    await closeApp(app).catch(() => undefined);
    await engine.close();
    throw new CliError(
      `cannot listen on ${config.host}:${config.sqsPort} for the SQS door: ${err instanceof Error ? err.message : String(err)}`,
      1,
      { cause: err },
    );
  }
}
