/**
 * An AbortSignal for a request that may wait (long-poll lease, enqueue-and-wait): it aborts when
 * the client goes away before the answer was sent, or when the server starts closing. The engine
 * stops waiting on abort, and gives back any job it claimed after it, so a vanished client
 * leases nothing.
 *
 * The response's 'close' is the client-gone event: Node emits 'close' on the request once its
 * body is read, whatever the socket does, while the response closes either after the answer
 * was written (writableEnded) or when the connection dropped first.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { CloseNotice } from '../close-notice.ts';

export interface RequestSignal {
  readonly signal: AbortSignal;
  /** Detaches the listeners; call once the engine call returned. */
  readonly release: () => void;
}

export function requestSignal(request: FastifyRequest, reply: FastifyReply, closing: CloseNotice): RequestSignal {
  const controller = new AbortController();
  const response = reply.raw;
  const onClose = (): void => {
    if (!response.writableEnded) controller.abort(new Error('client went away'));
  };
  response.once('close', onClose);
  const detach = closing.on(() => controller.abort(new Error('server is shutting down')));
  if (request.raw.socket.destroyed) controller.abort(new Error('client went away'));
  return {
    signal: controller.signal,
    release: () => {
      response.removeListener('close', onClose);
      detach();
    },
  };
}
