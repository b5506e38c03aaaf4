/**
 * The cost of auth on single enqueue and lease+ack, alone (bench/cases/auth-cost.ts says how it
 * is measured; `npm run bench` runs the same case and writes it to docs/benchmarks.md).
 *
 * Usage: `npx tsx bench/auth.ts [rounds] [seconds] [--json] [--control]`: rounds (default 4),
 * seconds of each measured enqueue phase (default 10; lease+ack drains 2 000 jobs per second of
 * it, 20 000 by default). Human output, or one JSON object per line with --json. `--control`
 * runs both servers without auth (an A/A run: the method's own bias and spread). Takes about a
 * minute per round at the defaults, plus a warm-up round per pair of servers (one pair every
 * three rounds).
 */
import { measureAuthCost } from './cases/auth-cost.ts';

const JSON_OUTPUT = process.argv.includes('--json');
const [roundsArg, secondsArg] = process.argv.slice(2).filter((arg) => !arg.startsWith('--'));

function positive(arg: string | undefined, fallback: number): number {
  if (arg === undefined) return fallback;
  const value = Number(arg);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`expected a positive number, got ${arg}`);
  return value;
}

function emit(result: Readonly<Record<string, string | number>>): void {
  if (JSON_OUTPUT) process.stdout.write(`${JSON.stringify(result)}\n`);
  else
    process.stdout.write(
      `${Object.entries(result)
        .map(([k, v]) => `${k}=${v}`)
        .join(' ')}\n`,
    );
}

const costs = await measureAuthCost(
  { rounds: positive(roundsArg, 4), durationS: positive(secondsArg, 10), control: process.argv.includes('--control') },
  ({ round, auth, enqueue, leaseAck }) =>
    emit({
      case: 'auth-run',
      round,
      auth,
      enqueueReqPerSec: Math.round(enqueue.perSec),
      enqueueCpuUsPerReq: Math.round(enqueue.cpuUs),
      leaseAckJobsPerSec: Math.round(leaseAck.perSec),
      leaseAckCpuUsPerJob: Math.round(leaseAck.cpuUs),
    }),
);
for (const cost of costs) emit({ ...cost, case: `auth-${cost.case}`, goalPercent: 3 });
