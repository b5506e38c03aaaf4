/**
 * The HTTP/1.1 side of a listener's graceful close (HTTP/2 sessions get GOAWAY instead, see
 * http2-sessions.ts).
 *
 * Node's own close destroys idle keep-alive connections at once, so a request a client had just
 * sent on one is reset with no answer; and a response that ends while its request body is still
 * open (a miniqueue subscriber that stays silent) leaves its connection waiting for the rest of the
 * body, which holds the close until the shutdown limit. Here, once closing begins:
 * - open connections stay open for a short grace, and for as long as any request is in flight, so a
 *   request arriving on one is answered (503 with `connection: close`, by the request hooks);
 * - a connection whose response has finished while its request body is still open is ended;
 * - once the grace is over, a connection whose writing side has ended is destroyed, in flight or
 *   not: nothing more can be answered on it, and a paused socket never reads its peer's FIN (a
 *   100 000-request door fuzz left one such emq wait connection open, holding the close forever);
 * - once the grace is over and no request is in flight, every connection left (idle, or with a
 *   request whose headers have not all arrived) is closed.
 *
 * Invariants: a request counts as in flight from Node's 'request' event until its response
 * closes; closing begins once and only moves forward.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

/** How long connections stay open for requests already on their way when the server starts closing. */
export const CLOSING_GRACE_MS = 500;

export type Http1Handler = (request: IncomingMessage, response: ServerResponse) => void;

export class ClosingConnections {
  readonly #closeRemaining: () => void;
  readonly #graceMs: number;
  readonly #inFlight = new Set<IncomingMessage>();
  /** Requests answered while their bodies were still open. */
  readonly #bodiesOpen = new Set<IncomingMessage>();
  #closing = false;
  #graceOver = false;

  /** `closeRemaining` destroys every connection still open (called once no request is in flight). */
  constructor(closeRemaining: () => void, graceMs = CLOSING_GRACE_MS) {
    this.#closeRemaining = closeRemaining;
    this.#graceMs = graceMs;
  }

  get closing(): boolean {
    return this.#closing;
  }

  /** The handler, counting the HTTP/1.1 requests it is given while they are in flight. */
  track<H extends (request: never, response: never) => void>(handler: H): H {
    return ((request: IncomingMessage, response: ServerResponse) => {
      if (request.httpVersionMajor !== 2) this.#count(request, response);
      (handler as unknown as Http1Handler)(request, response);
    }) as unknown as H;
  }

  /** Starts closing (idempotent): see the header for what follows. */
  begin(): void {
    if (this.#closing) return;
    this.#closing = true;
    for (const request of this.#bodiesOpen) endConnection(request);
    this.#bodiesOpen.clear();
    setTimeout(() => {
      this.#graceOver = true;
      this.#closeIfDone();
    }, this.#graceMs).unref();
  }

  #count(request: IncomingMessage, response: ServerResponse): void {
    this.#inFlight.add(request);
    response.once('finish', () => {
      if (request.complete) return;
      if (this.#closing) endConnection(request);
      else {
        // Its body may still come (a subscriber's next command): ended if closing begins first.
        this.#bodiesOpen.add(request);
        const settled = (): void => void this.#bodiesOpen.delete(request);
        request.once('end', settled);
        request.once('close', settled);
      }
    });
    response.once('close', () => {
      this.#inFlight.delete(request);
      this.#closeIfDone();
    });
  }

  #closeIfDone(): void {
    if (!this.#closing || !this.#graceOver) return;
    for (const request of this.#inFlight) {
      if (request.socket.writableEnded) request.socket.destroy();
    }
    if (this.#inFlight.size === 0) this.#closeRemaining();
  }
}

/** Ends a connection whose response was sent in full (what the client still sends is not read). */
function endConnection(request: IncomingMessage): void {
  const { socket } = request;
  socket.end(() => socket.destroy());
}
