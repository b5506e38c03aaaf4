/**
 * One `docket serve --sqs-port 0` process per test file, and SQS clients for it: the AWS SDK
 * with retries off (so a refusal is seen as sent), static credentials (auth is off, so
 * signatures are accepted unchecked).
 */
import { SQSClient } from '@aws-sdk/client-sqs';
import { serverPerFile, type ServedFile } from '../../../../test/support/server-per-file.ts';

export interface SqsServed {
  readonly served: ServedFile;
  /** The SQS door's base URL, read from the server's start-up line. */
  endpoint(): Promise<string>;
  client(): Promise<SQSClient>;
}

export function sqsServerPerFile(args: readonly string[] = []): SqsServed {
  const served = serverPerFile({ args: ['--sqs-port', '0', ...args] });
  const endpoint = async (): Promise<string> => {
    const deadline = Date.now() + 10_000;
    for (;;) {
      const match = /SQS door listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(served.server.output());
      if (match?.[1] !== undefined) return match[1];
      if (Date.now() > deadline) throw new Error(`no SQS door line in:\n${served.server.output()}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  };
  return {
    served,
    endpoint,
    async client() {
      return new SQSClient({
        endpoint: await endpoint(),
        region: 'us-east-1',
        credentials: { accessKeyId: 'docket', secretAccessKey: 'unchecked' },
        maxAttempts: 1,
      });
    },
  };
}

let n = 0;
/** A queue name no other test of the file uses. */
export function freshQueue(name: string): string {
  n += 1;
  return `t${n}-${name}`;
}

/** Polls `check` until it returns a value other than undefined, or fails after `timeoutMs`. */
export async function until<T>(check: () => Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`not reached within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The error a promise rejects with (fails the test when it resolves). */
export async function rejection(
  promise: Promise<unknown>,
): Promise<Error & { Code?: string; $metadata?: { httpStatusCode?: number } }> {
  try {
    await promise;
  } catch (err) {
    return err as Error & { Code?: string; $metadata?: { httpStatusCode?: number } };
  }
  throw new Error('expected a rejection, got a result');
}
