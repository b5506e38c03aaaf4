/**
 * Turns whatever a store operation threw into a protocol error. Protocol errors pass through;
 * SQLite errors become StorageFullError (SQLITE_FULL) or UnavailableError, with the driver error
 * as `cause`; anything else is a bug and becomes InternalError. Driver errors never leak raw.
 */
import Database from 'better-sqlite3';
import { DocketError, InternalError, StorageFullError, UnavailableError } from '@docket/protocol';

/** The SQLite result code of a driver error (`SQLITE_FULL`, `SQLITE_IOERR_FSYNC`, ...), if any. */
export function sqliteCode(err: unknown): string | null {
  return err instanceof Database.SqliteError ? err.code : null;
}

/**
 * Errors after which the database file cannot be trusted to hold what it acknowledged: an I/O
 * error (a failed fsync may be "fixed" by a retry that lies, as PostgreSQL's fsyncgate showed) or
 * corruption. The store stops serving after one of these (fail-stop).
 */
export function isFatalStorageError(err: unknown): boolean {
  const code = sqliteCode(err);
  if (code === null) return false;
  return code.startsWith('SQLITE_IOERR') || code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB';
}

/** `doing` names what failed, e.g. `commit` or `read`. */
export function toStoreError(err: unknown, doing: string): DocketError {
  if (err instanceof DocketError) return err;
  const code = sqliteCode(err);
  if (code === 'SQLITE_FULL') return new StorageFullError(`storage is full: ${doing} failed`, { code }, { cause: err });
  if (code !== null) return new UnavailableError(`storage ${doing} failed with ${code}`, { code }, { cause: err });
  return new InternalError(`unexpected failure in sqlite store ${doing}`, undefined, { cause: err });
}
