/**
 * Crash under sustained enqueue (reliability.md A1, store level). A child process enqueues into a
 * SQLite file with many concurrent callers and prints each id once its enqueue resolved; the
 * parent SIGKILLs it at a random moment, reopens the store and checks that every acknowledged id
 * is there (lost = 0) and that `PRAGMA integrity_check` is ok. The same file is reused across
 * cycles, so each recovery starts from the WAL a kill left behind.
 *
 * Why SQLite-specific: it kills a process holding a SQLite file mid group commit. A process kill
 * keeps the page cache, so this proves commit-before-resolve, not fsync (that is A3's power-loss
 * test).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, expect, it } from 'vitest';
import { createSqliteStore } from '@docket/store-sqlite';

/** Kills per run: 20 in `npm test`, 200 with `npm run reliability:sqlite-crash`. */
const CYCLES = Number(process.env['DOCKET_SQLITE_CRASH_CYCLES'] ?? 20);
/** The test's time budget: 90 s at 20 kills, 3 s more per kill. */
const BUDGET = 30_000 + CYCLES * 3_000;
/** Kill between 150 and 600 ms after the first acknowledgement: mid-stream, inside some commit. */
const KILL_AFTER_MS = { min: 150, max: 600 };
/** A child that acknowledges nothing within this long is broken; fail instead of hanging. */
const FIRST_ACK_TIMEOUT_MS = 15_000;

const CHILD = new URL('./fixtures/sqlite-enqueue-child.ts', import.meta.url).pathname;
const REPO_ROOT = new URL('../../', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'docket-sqlite-crash-'));
const dbPath = join(dir, 'crash.db');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface CycleResult {
  readonly acked: string[];
  readonly stderr: string;
}

/** Runs one child until SIGKILL; returns the ids it acknowledged before dying. */
function runChild(cycle: number): Promise<CycleResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, dbPath, String(cycle)], {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const acked: string[] = [];
    let partial = '';
    let stderr = '';
    let killTimer: NodeJS.Timeout | undefined;
    const noAckTimer = setTimeout(() => child.kill('SIGKILL'), FIRST_ACK_TIMEOUT_MS);
    child.stdout.setEncoding('utf8');
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => (stderr += chunk));
    child.stdout.on('data', (chunk: string) => {
      const lines = (partial + chunk).split('\n');
      partial = lines.pop() ?? '';
      acked.push(...lines);
      if (killTimer === undefined && acked.length > 0) {
        clearTimeout(noAckTimer);
        const delay = KILL_AFTER_MS.min + Math.random() * (KILL_AFTER_MS.max - KILL_AFTER_MS.min);
        killTimer = setTimeout(() => child.kill('SIGKILL'), delay);
      }
    });
    child.on('error', reject);
    child.on('close', (_code, signal) => {
      clearTimeout(noAckTimer);
      clearTimeout(killTimer);
      if (signal !== 'SIGKILL' || acked.length === 0) {
        reject(
          new Error(`child of cycle ${cycle} ended with ${signal ?? 'exit'} after ${acked.length} acks: ${stderr}`),
        );
      } else {
        resolve({ acked, stderr });
      }
    });
  });
}

async function missingAfterReopen(ids: readonly string[]): Promise<string[]> {
  const store = createSqliteStore({ path: dbPath });
  try {
    await store.migrate();
    const missing: string[] = [];
    for (const id of ids) if ((await store.jobGet({ id })) === null) missing.push(id);
    return missing;
  } finally {
    await store.close();
  }
}

function withRawDb<T>(read: (db: Database.Database) => T): T {
  const db = new Database(dbPath, { readonly: true });
  try {
    return read(db);
  } finally {
    db.close();
  }
}

const integrityCheck = (): unknown => withRawDb((db) => db.pragma('integrity_check', { simple: true }));

/** How many of `ids` the file holds, in one query (the per-cycle checks go through the store). */
const countPresent = (ids: readonly string[]): unknown =>
  withRawDb((db) =>
    db
      .prepare('SELECT count(*) FROM jobs WHERE id IN (SELECT value FROM json_each(?))')
      .pluck()
      .get(JSON.stringify(ids)),
  );

it(
  `${CYCLES} SIGKILLs under concurrent enqueue lose no acknowledged job and leave the database intact`,
  async () => {
    const all: string[] = [];
    for (let cycle = 0; cycle < CYCLES; cycle += 1) {
      const { acked } = await runChild(cycle);
      all.push(...acked);
      expect(await missingAfterReopen(acked), `lost in cycle ${cycle}`).toEqual([]);
      expect(integrityCheck(), `integrity after cycle ${cycle}`).toBe('ok');
    }
    expect(countPresent(all), 'acknowledged jobs present after all cycles').toBe(all.length);
    expect(all.length).toBeGreaterThan(CYCLES * 100);
  },
  BUDGET,
);
