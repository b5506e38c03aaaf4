/**
 * The consumer stream's socket, with the frames sent in one tick leaving in one write.
 *
 * Why: every WebSocket frame was one `writev` system call, two per job (the job, then the `ok`
 * for its ack): a quarter of the server's time under the stream benchmark. The first send of a
 * tick corks the TCP socket and a `process.nextTick` uncorks it, so the jobs of one lease and
 * the replies to a burst of acks go out together.
 *
 * Invariant: a cork never outlives the tick it was taken in, so no frame waits for later
 * traffic; `bufferedAmount` counts corked bytes, so the slow-consumer limits see them.
 */
import type { Socket } from 'node:net';
import type WebSocket from 'ws';
import type { StreamSocket } from './consumer-session.ts';

export function tickCorkedSocket(ws: WebSocket, tcp: Socket): StreamSocket {
  let corked = false;
  const uncork = (): void => {
    corked = false;
    tcp.uncork();
  };
  return {
    send(text) {
      if (!corked && !tcp.destroyed) {
        corked = true;
        tcp.cork();
        process.nextTick(uncork);
      }
      ws.send(text);
    },
    get bufferedAmount() {
      return ws.bufferedAmount;
    },
    close(code, reason) {
      ws.close(code, reason);
    },
  };
}
