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

export interface RequestSignal {
  readonly signal: AbortSignal;
  /** Detaches the listeners; call once the engine call returned. */
  readonly release: () => void;
}

export function requestSignal(request: FastifyRequest, reply: FastifyReply, closing: AbortSignal): RequestSignal {
  const controller = new AbortController();
  const response = reply.raw;
  const onClose = (): void => {
    if (!response.writableEnded) controller.abort(new Error('client went away'));
  };
  const onClosing = (): void => controller.abort(closing.reason);
  response.once('close', onClose);
  closing.addEventListener('abort', onClosing, { once: true });
  if (closing.aborted || request.raw.socket.destroyed) controller.abort();
  return {
    signal: controller.signal,
    release: () => {
      response.removeListener('close', onClose);
      closing.removeEventListener('abort', onClosing);
    },
  };
}
