/**
 * What an operation of the store works with: one pooled connection, already inside the
 * operation's transaction when it has one, and the SQL files by name (query-catalog.ts).
 */
import type pg from 'pg';
import { boundQuery, type QueryFile } from './query-catalog.ts';

/** Named parameters: any object whose properties include every `:name` of the statement. */
export type Values = object;

export interface Session {
  /** Runs one statement of `queries/` and returns its rows. */
  rows<R>(file: QueryFile, values: Values): Promise<R[]>;
  /** Runs one statement of `queries/` and returns the number of rows it changed or returned. */
  count(file: QueryFile, values: Values): Promise<number>;
}

export function createSession(client: pg.PoolClient): Session {
  const run = (file: QueryFile, values: Values): Promise<pg.QueryResult> => client.query(boundQuery(file, values));
  return {
    async rows<R>(file: QueryFile, values: Values): Promise<R[]> {
      return (await run(file, values)).rows as R[];
    },
    async count(file: QueryFile, values: Values): Promise<number> {
      return (await run(file, values)).rowCount ?? 0;
    },
  };
}
