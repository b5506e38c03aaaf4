/**
 * The consumer stream's WebSocket errors, told apart by whose they are. A frame the client framed
 * wrongly (ws's `WS_ERR_*` codes: a bad opcode, an unmasked frame, invalid UTF-8, a message over
 * the size limit) or a client that vanished mid-frame (a reset, a broken pipe) is the client's
 * doing: logged at info, one line without a stack, as the 4xx of an HTTP request would be. Anything
 * else is unexpected and logged as an error with its stack. The socket is dropped either way; ws
 * has already sent the close code of a protocol error (1002, 1007 or 1009).
 */
import type { FastifyRequest } from 'fastify';
import type WebSocket from 'ws';

const GONE = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED']);

export function isClientStreamError(error: Error): boolean {
  const { code } = error as NodeJS.ErrnoException;
  return code !== undefined && (code.startsWith('WS_ERR_') || GONE.has(code));
}

/** @fastify/websocket's `errorHandler`. */
export function onStreamSocketError(error: Error, socket: WebSocket, request: FastifyRequest): void {
  if (isClientStreamError(error)) {
    request.log.info(
      { code: (error as NodeJS.ErrnoException).code, reason: error.message },
      'consumer stream closed: the client sent an invalid frame or went away',
    );
  } else request.log.error({ err: error }, 'consumer stream failed');
  socket.terminate();
}
