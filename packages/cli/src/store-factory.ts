/**
 * Opens the store `docket serve` runs on, from the `store` setting: the SQLite file in the data
 * directory, or a shared Redis or PostgreSQL backend named by URL. Each backend's driver is loaded
 * only when chosen. Docket-specific URL parameters (`prefix` for Redis, `schema` for PostgreSQL)
 * are taken off the URL before the driver sees it. Unsafe backend settings come back as warnings
 * for the start-up log; they never stop the server.
 */
import { mkdir, stat } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import type { Store } from '@docket/core';
import type { CommitMetrics, StoreFile } from '@docket/server';
import type { ServeConfig } from './config.ts';
import { CliError } from './errors.ts';

/** The SQLite file inside the data directory. */
export const DATABASE_FILE = 'docket.db';

export type StoreKind = 'sqlite' | 'redis' | 'postgres';

export interface OpenedStore {
  readonly store: Store;
  readonly kind: StoreKind;
  /** Where the data lives, for the start-up line (passwords masked). */
  readonly location: string;
  readonly warnings: readonly string[];
  /** The store's files and their sizes (SQLite: the database and its WAL), for `GET /v1/server`. */
  readonly files?: () => Promise<StoreFile[]>;
}

/** Sizes of the SQLite database and its WAL; a file that does not exist (yet) is left out. */
function sqliteFiles(path: string): () => Promise<StoreFile[]> {
  return async () => {
    const names = [path, `${path}-wal`];
    const sizes = await Promise.all(
      names.map((name) =>
        stat(name).then(
          (s) => s.size,
          () => null,
        ),
      ),
    );
    return names.flatMap((name, i) => {
      const bytes = sizes[i];
      return bytes === null || bytes === undefined ? [] : [{ name: basename(name), bytes }];
    });
  };
}

/** Splits a Docket parameter off a backend URL: `redis://h:6379/0?prefix=app` → prefix `app`. */
function takeParam(raw: string, name: string, fallback: string): { url: string; value: string } {
  const url = new URL(raw);
  const value = url.searchParams.get(name) ?? fallback;
  url.searchParams.delete(name);
  return { url: url.toString(), value };
}

function masked(raw: string): string {
  const url = new URL(raw);
  if (url.password !== '') url.password = '***';
  return url.toString();
}

async function openSqlite(config: ServeConfig, commits: CommitMetrics): Promise<OpenedStore> {
  const data = resolve(config.data);
  await mkdir(data, { recursive: true }).catch((err: unknown) => {
    throw new CliError(`cannot create data directory ${data}: ${err instanceof Error ? err.message : String(err)}`, 1, {
      cause: err,
    });
  });
  const { createSqliteStore } = await import('@docket/store-sqlite');
  const path = join(data, DATABASE_FILE);
  const store = createSqliteStore({ path, onCommit: commits.observeCommit });
  return { store, kind: 'sqlite', location: `data ${data}`, warnings: [], files: sqliteFiles(path) };
}

async function openRedis(raw: string): Promise<OpenedStore> {
  const { url, value: prefix } = takeParam(raw, 'prefix', 'docket');
  const { createRedisStore, redisBackendWarnings } = await import('@docket/store-redis');
  const store = createRedisStore({ url, prefix });
  return {
    store,
    kind: 'redis',
    location: `${masked(url)} prefix ${prefix}`,
    warnings: await redisBackendWarnings(url),
  };
}

async function openPostgres(raw: string): Promise<OpenedStore> {
  const { url, value: schema } = takeParam(raw, 'schema', 'docket');
  const { createPostgresStore, postgresBackendWarnings } = await import('@docket/store-postgres');
  const store = createPostgresStore({ connectionString: url, schema });
  return {
    store,
    kind: 'postgres',
    location: `${masked(url)} schema ${schema}`,
    warnings: await postgresBackendWarnings(url),
  };
}

export function openStore(config: ServeConfig, commits: CommitMetrics): Promise<OpenedStore> {
  if (config.store === 'sqlite') return openSqlite(config, commits);
  const scheme = new URL(config.store).protocol;
  return scheme === 'redis:' || scheme === 'rediss:' ? openRedis(config.store) : openPostgres(config.store);
}
