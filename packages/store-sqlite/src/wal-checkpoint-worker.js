/**
 * The WAL checkpointer's thread (see wal-checkpointer.ts): its own connection to the store's
 * file, running a PASSIVE checkpoint on every `checkpoint` message and answering `done`. PASSIVE
 * never takes the write lock, so the writer's transactions go on meanwhile; synchronous=FULL
 * makes the checkpoint fsync the database file before the WAL may be reused. The connection
 * reads nothing else, so it holds no snapshot that would keep the WAL from restarting.
 * On any error it answers `failed` and exits; on `close` it closes the connection and exits.
 */
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';

const db = new Database(workerData.path, { timeout: workerData.busyTimeoutMs, fileMustExist: true });
db.pragma('synchronous = FULL');
db.pragma('wal_autocheckpoint = 0');

parentPort.on('message', (message) => {
  if (message === 'close') {
    db.close();
    parentPort.close();
    return;
  }
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
    parentPort.postMessage('done');
  } catch {
    parentPort.postMessage('failed');
    db.close();
    parentPort.close();
  }
});
