/**
 * Flow-control benchmarks (issue 16), apart from `npm run bench` so that run keeps its length:
 * - rate-limit-accuracy: a 1 000 per second limit over three servers on Redis for 30 s
 *   (bench/cases/rate-limit-accuracy.ts); goal: every whole window within ±2 %.
 * - group-throughput and group-fairness (bench/cases/groups.ts, the SQLite store in-process):
 *   lease+ack of 100 000 jobs in 10 000 FIFO groups vs the same jobs without groups (goal
 *   ≥ 0.7×), and a group of 100 jobs beside one of 100 000 (goal: done within the first 1 %).
 *
 * `--groups` runs only the group cases.
 *
 * Usage: `npm run bench:flow` (human output) or `npm run bench:flow -- --json` (one JSON object
 * per line). Needs Redis on 127.0.0.1:6379. Takes about a minute. Prints only; the figures go
 * into docs/benchmarks.md by hand.
 */
import { measureGroupFairness, measureGroupThroughput } from './cases/groups.ts';
import { measureRateLimitAccuracy } from './cases/rate-limit-accuracy.ts';

const JSON_OUTPUT = process.argv.includes('--json');
const GROUPS_ONLY = process.argv.includes('--groups');

const throughput = await measureGroupThroughput();
const fairness = await measureGroupFairness();
if (JSON_OUTPUT) {
  console.log(JSON.stringify(throughput));
  console.log(JSON.stringify(fairness));
} else {
  console.log(
    `group-throughput: ${throughput.jobs} jobs in ${throughput.groups} FIFO groups ${throughput.groupedJobsPerSec} jobs/s, ` +
      `without groups ${throughput.plainJobsPerSec} jobs/s: ${throughput.ratio}× (load ${throughput.loadAvg1m})`,
  );
  console.log(
    `group-fairness: ${fairness.small} jobs beside ${fairness.big}: all done at ${fairness.smallDoneAtPct} % of the run ` +
      `(load ${fairness.loadAvg1m})`,
  );
}

const accuracy = GROUPS_ONLY ? undefined : await measureRateLimitAccuracy();
if (accuracy === undefined) {
  // --groups: the rate-limit case is not run.
} else if (accuracy === null) {
  console.warn('rate-limit-accuracy: skipped, Redis is not reachable');
} else if (JSON_OUTPUT) {
  console.log(JSON.stringify(accuracy));
} else {
  console.log(
    `rate-limit-accuracy: ${accuracy.servers} servers, ${accuracy.windows} windows of target ${accuracy.target}: ` +
      `min ${accuracy.minPerWindow}, max ${accuracy.maxPerWindow}, worst deviation ${accuracy.worstDeviationPct.toFixed(2)} %`,
  );
}
