/**
 * CPU per schedule fire (issue 16), for A/B runs on a loaded machine where throughput means
 * nothing: one engine over a SQLite file on a manual clock, N schedules (10 000) `every: 1s` from
 * one `startAt`; each round advances the clock 1 s and waits for the N jobs' `job:enqueued`
 * events, timing the process's CPU (all threads) over the whole engine path. Round 1 warms up.
 *
 * Usage: `npx tsx bench/schedule-fire-cpu.ts` (N=…, ROUNDS=… in the environment).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEngine, manualClock } from '@docket/core';
import { createSqliteStore } from '@docket/store-sqlite';

const N = Number(process.env.N ?? 10_000);
const ROUNDS = Number(process.env.ROUNDS ?? 5);
const dir = await mkdtemp(join(tmpdir(), 'fire-cpu-'));
let commits = 0;
let batchMs = 0;
let commitMs = 0;
const store = createSqliteStore({
  path: join(dir, 'db.sqlite'),
  onCommit: (info) => {
    commits += 1;
    batchMs += info.durationMs;
    commitMs += info.commitMs;
  },
});
await store.migrate();
const clock = manualClock(Date.UTC(2026, 0, 1));
const engine = createEngine({ store, clock });
const startAt = clock.now() + 10_000;
for (let i = 0; i < N; i += 100) {
  await Promise.all(
    Array.from({ length: 100 }, (_, k) =>
      engine.putSchedule(`s-${i + k}`, { queue: `q-${(i + k) % 10}`, everyMs: 1_000, data: { n: i + k }, startAt }),
    ),
  );
}
engine.start();
let fired = 0;
engine.events.on('job:enqueued', () => {
  fired += 1;
});
const perFire: number[] = [];
clock.set(startAt - 1);
for (let r = 0; r < ROUNDS; r += 1) {
  const target = fired + N;
  commits = 0;
  batchMs = 0;
  commitMs = 0;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  clock.advance(r === 0 ? 1 : 1_000);
  while (fired < target) await new Promise((res) => setImmediate(res));
  const cpu = process.cpuUsage(cpu0);
  perFire.push((cpu.user + cpu.system) / N);
  console.log(
    `round ${r}: ${N} fires, CPU ${((cpu.user + cpu.system) / N).toFixed(1)} µs/fire (user ${(cpu.user / N).toFixed(1)}, sys ${(cpu.system / N).toFixed(1)}), wall ${(performance.now() - t0).toFixed(0)} ms, ${commits} commits, in batches ${((batchMs * 1000) / N).toFixed(1)} µs/fire of which COMMIT ${((commitMs * 1000) / N).toFixed(1)}, load ${loadavg()[0]?.toFixed(2)}`,
  );
}
const steady = perFire.slice(1).sort((a, b) => a - b);
console.log(
  `CPU per fire over rounds 1..: min ${steady[0]?.toFixed(1)} µs, median ${steady[Math.floor(steady.length / 2)]?.toFixed(1)} µs`,
);
await engine.close();
await rm(dir, { recursive: true, force: true });
