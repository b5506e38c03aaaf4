/** Fixed-duration HTTP load with autocannon: the same measurement for Docket and the baseline. */
import autocannon from 'autocannon';

export interface LoadOptions {
  readonly url: string;
  readonly path: string;
  readonly body: string;
  readonly connections: number;
  readonly durationS: number;
}

export interface LoadResult {
  /** Successful (2xx) requests per second. */
  readonly requestsPerSec: number;
  readonly latencyP50Ms: number;
  readonly latencyP99Ms: number;
  readonly non2xx: number;
  readonly errors: number;
}

/** Warm-up before each measured run: JIT, connection set-up, SQLite page cache. */
const WARMUP_S = 2;

async function run(options: LoadOptions, durationS: number): Promise<LoadResult> {
  const result = await autocannon({
    // autocannon ignores a separate `path` for a single request: the path goes in the URL.
    url: options.url + options.path,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: options.body,
    connections: options.connections,
    pipelining: 1,
    duration: durationS,
    timeout: 30,
  });
  return {
    requestsPerSec: result['2xx'] / result.duration,
    latencyP50Ms: result.latency.p50,
    latencyP99Ms: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
  };
}

export async function measureLoad(options: LoadOptions): Promise<LoadResult> {
  await run(options, WARMUP_S);
  return run(options, options.durationS);
}
