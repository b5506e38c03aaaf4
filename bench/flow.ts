/**
 * Flow-control benchmarks (issue 16), alone: `npm run bench` runs the same cases and writes them to
 * docs/benchmarks.md; this command only prints them.
 * - rate-limit-accuracy: a 1 000 per second limit over three servers on Redis for 30 s
 *   (bench/cases/rate-limit-accuracy.ts); goal: every whole window within ±2 %.
 * - group-throughput and group-fairness (bench/cases/groups.ts, the SQLite store in-process):
 *   lease+ack of 100 000 jobs in 10 000 FIFO groups vs the same jobs without groups (goal
 *   ≥ 0.7×), and a group of 100 jobs beside one of 100 000 (goal: done within the first 1 %).
 * - schedule-fire-lag: 10 000 schedules every second on one engine over SQLite, spread and
 *   aligned, and the jitter of one schedule on an idle engine (bench/cases/schedule-fire-lag.ts);
 *   goals: lag p99 < 100 ms, jitter p99 < 50 ms.
 *
 * `--groups` runs only the group cases, `schedules` only the schedule cases.
 *
 * Usage: `npm run bench:flow` (human output) or `npm run bench:flow -- --json` (one JSON object
 * per line). Needs Redis on 127.0.0.1:6379. Takes about three minutes.
 */
import { loadavg } from 'node:os';
import { measureGroupFairness, measureGroupThroughput } from './cases/groups.ts';
import { measureRateLimitAccuracy } from './cases/rate-limit-accuracy.ts';
import { measureFireLag, measureJitter, type FireLag } from './cases/schedule-fire-lag.ts';

const JSON_OUTPUT = process.argv.includes('--json');
const GROUPS_ONLY = process.argv.includes('--groups');
const ONLY_SCHEDULES = process.argv.includes('schedules');

function printLag(lag: FireLag): void {
  if (JSON_OUTPUT) {
    console.log(JSON.stringify({ ...lag, loadavg: loadavg() }));
    return;
  }
  console.log(
    `schedule-fire-lag (${lag.layout}): ${lag.schedules} schedules, ${lag.fires} fires: ` +
      `p50 ${lag.p50Ms} ms, p99 ${lag.p99Ms} ms, max ${lag.maxMs} ms (load average ${loadavg()
        .map((n) => n.toFixed(2))
        .join(' ')})`,
  );
}

if (!ONLY_SCHEDULES) {
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
}

if (!GROUPS_ONLY) {
  printLag(await measureJitter());
  printLag(await measureFireLag('spread'));
  printLag(await measureFireLag('aligned'));
}

const accuracy = GROUPS_ONLY || ONLY_SCHEDULES ? undefined : await measureRateLimitAccuracy();
if (accuracy === undefined) {
  // Only the group or the schedule cases were asked for.
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
