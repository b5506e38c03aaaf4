/**
 * Store CPU per leased and acked job (issue 16), for A/B runs on a loaded machine: the drain of
 * bench/cases/groups.ts (its fill, loops and store), plain queue and GROUPS FIFO groups, timing
 * the process's CPU during the drain only.
 *
 * Usage: `npx tsx bench/group-cpu.ts` (JOBS=…; ONLY_GROUPED=1 skips the plain run).
 */
import { loadavg } from 'node:os';
import { configure, drain, fill, GROUPS, JOBS as DEFAULT_JOBS, withStore } from './cases/groups.ts';

const JOBS = Number(process.env.JOBS ?? DEFAULT_JOBS);

function run(grouped: boolean): Promise<number> {
  return withStore(async (store) => {
    const queue = grouped ? 'grouped' : 'plain';
    if (grouped) await configure(store, queue, { groupConcurrency: 1 });
    await fill(store, queue, (i) => (grouped ? `g${i % GROUPS}` : null), JOBS);
    const cpu0 = process.cpuUsage();
    await drain(store, queue, JOBS);
    const cpu = process.cpuUsage(cpu0);
    return (cpu.user + cpu.system) / JOBS;
  });
}

const plain = process.env.ONLY_GROUPED === undefined ? await run(false) : null;
const grouped = await run(true);
const load = loadavg()[0]?.toFixed(2);
console.log(
  plain === null
    ? `CPU per lease+ack job: grouped ${grouped.toFixed(1)} µs (load ${load})`
    : `CPU per lease+ack job: plain ${plain.toFixed(1)} µs, grouped ${grouped.toFixed(1)} µs, ` +
        `plain/grouped ${(plain / grouped).toFixed(2)} (load ${load})`,
);
