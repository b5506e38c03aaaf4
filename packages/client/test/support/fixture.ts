/**
 * What every case of the SDK suite gets: a client over the transport under test, fresh queue
 * names, workers that are force-closed after each test, and transports wrapped to record calls.
 * The suite runs once per transport (sdk-http.test.ts, sdk-local.test.ts) with the same cases.
 */
import { afterAll, afterEach, beforeAll } from 'vitest';
import {
  clientFromTransport,
  createWorker,
  type Client,
  type Transport,
  type Worker,
  type WorkerOptions,
} from '@docket/client';

export interface Backend {
  readonly client: Client;
  /**
   * How far an absolute time a job is given (runAt) may move when stored: 0, except over a store
   * that takes time from its backend, which moves it by the offset it measured between the
   * engine's clock and the backend's (Store port, `sharedClock`).
   */
  readonly clockOffsetMs?: number;
  close(): Promise<void>;
}

export type BackendFactory = () => Promise<Backend>;

export interface Call {
  readonly op: keyof Transport;
  readonly args: readonly unknown[];
}

export interface Fixture {
  readonly client: Client;
  /** See Backend.clockOffsetMs. */
  readonly clockOffsetMs: number;
  /** A queue name no other test uses. */
  queueName(label: string): string;
  /** A worker that is force-closed after the test if it is still open. */
  worker<T, R>(options: WorkerOptions<T, R>): Worker<T, R>;
  /** Force-closes this worker after the test. */
  track<W extends Closable>(worker: W): W;
  /** A client whose transport records every call it passes on. */
  recordingClient(): { readonly client: Client; readonly calls: Call[] };
}

interface Closable {
  close(options: { force: boolean }): Promise<void>;
}

let sequence = 0;

function recording(inner: Transport, calls: Call[]): Transport {
  return new Proxy(inner, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        calls.push({ op: property as keyof Transport, args });
        return Reflect.apply(value, target, args) as unknown;
      };
    },
  });
}

/** Registers the backend's lifecycle hooks and returns the fixture the cases use. */
export function useFixture(start: BackendFactory): Fixture {
  let backend: Backend | undefined;
  const workers: Closable[] = [];
  beforeAll(async () => {
    backend = await start();
  });
  afterEach(async () => {
    await Promise.all(workers.splice(0).map((worker) => worker.close({ force: true })));
  });
  afterAll(async () => {
    await backend?.close();
  });
  const current = (): Backend => {
    if (backend === undefined) throw new Error('the SDK suite backend is not started');
    return backend;
  };
  return {
    get client() {
      return current().client;
    },
    get clockOffsetMs() {
      return current().clockOffsetMs ?? 0;
    },
    queueName(label) {
      sequence += 1;
      return `sdk-${label}-${sequence}-${Math.random().toString(36).slice(2, 8)}`;
    },
    worker(options) {
      return this.track(createWorker(options));
    },
    track(worker) {
      workers.push(worker);
      return worker;
    },
    recordingClient() {
      const calls: Call[] = [];
      return { client: clientFromTransport(recording(current().client.transport, calls)), calls };
    },
  };
}
