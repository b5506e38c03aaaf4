/**
 * Connection settings. Why SQLite-specific: "resolved means durable" rests on WAL with
 * synchronous=FULL (every COMMIT fsyncs the log), and these are per-connection settings of this
 * driver; they are checked on a real file because ':memory:' ignores the journal mode.
 */
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import {
  BUSY_TIMEOUT_MS,
  CACHE_SIZE_KIB,
  JOURNAL_SIZE_LIMIT_BYTES,
  PAGE_SIZE_BYTES,
  WAL_AUTOCHECKPOINT_PAGES,
  openDatabase,
} from '../src/open-database.ts';
import { createSqliteStore } from '../src/mod.ts';
import { useTempDir } from './support/temp-dir.ts';

const path = useTempDir('pragmas');

describe('connection settings', () => {
  it('a store connection runs in WAL mode with synchronous=FULL and the tuned settings', () => {
    const db = openDatabase({ path: path('settings.db') });
    const pragma = (name: string): unknown => db.pragma(name, { simple: true });
    expect(pragma('journal_mode')).toBe('wal');
    expect(pragma('page_size')).toBe(PAGE_SIZE_BYTES);
    expect(pragma('synchronous')).toBe(2);
    expect(pragma('temp_store')).toBe(2);
    expect(pragma('cache_size')).toBe(-CACHE_SIZE_KIB);
    expect(pragma('busy_timeout')).toBe(BUSY_TIMEOUT_MS);
    expect(pragma('wal_autocheckpoint')).toBe(WAL_AUTOCHECKPOINT_PAGES);
    expect(pragma('journal_size_limit')).toBe(JOURNAL_SIZE_LIMIT_BYTES);
    db.close();
  });

  it('a file created with 4 KiB pages keeps them: the page size applies to new databases only', () => {
    const file = path('small-pages.db');
    const old = new Database(file);
    old.pragma('page_size = 4096');
    old.exec('CREATE TABLE t (x)');
    old.close();
    const db = openDatabase({ path: file });
    expect(db.pragma('page_size', { simple: true })).toBe(4096);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    db.close();
  });

  it('the database file a store creates is in WAL mode for every connection', async () => {
    const file = path('store.db');
    const store = createSqliteStore({ path: file });
    await store.migrate();
    await store.close();
    const other = new Database(file, { readonly: true });
    expect(other.pragma('journal_mode', { simple: true })).toBe('wal');
    other.close();
  });
});
