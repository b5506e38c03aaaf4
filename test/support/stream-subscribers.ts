/**
 * Reading `docket_stream_subscribers` off a server's /metrics text, for tests of the streams and
 * doors that count in it.
 */
import { expect } from 'vitest';

/** The gauge of `queue` in a /metrics text; undefined when the series is absent. */
export function streamSubscribers(metricsText: string, queue: string): number | undefined {
  const prefix = `docket_stream_subscribers{queue="${queue}"} `;
  const line = metricsText.split('\n').find((l) => l.startsWith(prefix));
  return line === undefined ? undefined : Number(line.slice(prefix.length));
}

/** Reads until `read()` gives `value`; fails with the last reading after five seconds. */
export async function untilSubscribers(read: () => Promise<number | undefined>, value: number): Promise<void> {
  const deadline = Date.now() + 5_000;
  let seen = await read();
  while (seen !== value && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 20));
    seen = await read();
  }
  expect(seen).toBe(value);
}
