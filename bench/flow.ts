/**
 * Flow-control benchmarks (issue 16), apart from `npm run bench` so that run keeps its length:
 * - rate-limit-accuracy: a 1 000 per second limit over three servers on Redis for 30 s
 *   (bench/cases/rate-limit-accuracy.ts); goal: every whole window within ±2 %.
 *
 * Usage: `npm run bench:flow` (human output) or `npm run bench:flow -- --json` (one JSON object
 * per line). Needs Redis on 127.0.0.1:6379. Takes about a minute. Prints only; the figures go
 * into docs/benchmarks.md by hand.
 */
import { measureRateLimitAccuracy } from './cases/rate-limit-accuracy.ts';

const JSON_OUTPUT = process.argv.includes('--json');

const accuracy = await measureRateLimitAccuracy();
if (accuracy === null) {
  console.warn('rate-limit-accuracy: skipped, Redis is not reachable');
} else if (JSON_OUTPUT) {
  console.log(JSON.stringify(accuracy));
} else {
  console.log(
    `rate-limit-accuracy: ${accuracy.servers} servers, ${accuracy.windows} windows of target ${accuracy.target}: ` +
      `min ${accuracy.minPerWindow}, max ${accuracy.maxPerWindow}, worst deviation ${accuracy.worstDeviationPct.toFixed(2)} %`,
  );
}
