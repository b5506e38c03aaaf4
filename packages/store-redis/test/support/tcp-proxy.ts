/**
 * A TCP proxy on 127.0.0.1 for fault injection: it forwards every connection to a target port
 * until `cut()`, which destroys the open connections and refuses new ones (as if the network to
 * Redis went down), or `blackhole()`, which keeps connections open but drops what clients send
 * (a peer that stopped answering; `nextDrop()` resolves when it next drops bytes, so a test
 * knows a call is in flight); `restore()` lets traffic through again.
 */
import { createServer, connect, type Server, type Socket } from 'node:net';

export interface TcpProxy {
  readonly port: number;
  cut(): void;
  blackhole(): void;
  /** Resolves the next time the blackhole drops bytes a client sent. */
  nextDrop(): Promise<void>;
  restore(): void;
  close(): Promise<void>;
}

export async function startTcpProxy(targetPort: number): Promise<TcpProxy> {
  const sockets = new Set<Socket>();
  let open = true;
  let dropping = false;
  const dropWaiters: (() => void)[] = [];
  const track = (socket: Socket): void => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
  };
  const server: Server = createServer((client) => {
    track(client);
    if (!open) {
      client.destroy();
      return;
    }
    const upstream = connect(targetPort, '127.0.0.1');
    track(upstream);
    client.on('data', (chunk: Buffer) => {
      if (!dropping) upstream.write(chunk);
      else for (const resolve of dropWaiters.splice(0)) resolve();
    });
    upstream.pipe(client);
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('the proxy has no TCP port');
  return {
    port: address.port,
    cut() {
      open = false;
      for (const socket of sockets) socket.destroy();
    },
    blackhole() {
      dropping = true;
    },
    nextDrop() {
      return new Promise((resolve) => dropWaiters.push(resolve));
    },
    restore() {
      open = true;
      dropping = false;
    },
    async close() {
      open = false;
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
