/**
 * Numbered schema migrations as files, for stores with a schema: `NNNN_name.sql` in a store's
 * migrations folder, read in version order. How they are applied (transaction, locking, dialect)
 * stays in each store; what is shared is reading them and spotting a newer build's versions.
 */
import { readdirSync, readFileSync } from 'node:fs';

const MIGRATION_FILE = /^(\d{4})_([a-z0-9_]+)\.sql$/;

export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

/** The migrations in `dir` (a folder URL ending in `/`), by version; other files are ignored. */
export function readMigrations(dir: URL): Migration[] {
  const migrations: Migration[] = [];
  for (const file of readdirSync(dir)) {
    const match = MIGRATION_FILE.exec(file);
    if (match === null) continue;
    const [, version = '', name = ''] = match;
    migrations.push({ version: Number(version), name, sql: readFileSync(new URL(file, dir), 'utf8') });
  }
  return migrations.sort((a, b) => a.version - b.version);
}

/** Applied versions this build does not know: a newer version wrote the schema. */
export function unknownVersions(applied: Iterable<number>, migrations: readonly Migration[]): number[] {
  const known = new Set(migrations.map((m) => m.version));
  return [...applied].filter((v) => !known.has(v));
}
