/**
 * The HTTP/2 sessions of one server (TLS or h2c), tracked so that shutdown can end them.
 *
 * Node 20 neither closes an HTTP/2 server's sessions when the server closes nor times idle ones
 * out, so a client's idle session would hold `server.close()` open forever. Invariants: every
 * open session is in the set until it closes; an idle session (no frame either way for
 * `idleMs`) is closed gracefully; `closeAll()` closes every session gracefully (GOAWAY: streams
 * in progress finish, no new stream starts), so in-flight requests are never cut, and so is any
 * session that starts after it.
 */
import type { EventEmitter } from 'node:events';
import type { Http2Session } from 'node:http2';

export interface Http2Sessions {
  /** Sends GOAWAY on every open session; each closes once its streams are done. */
  closeAll(): void;
}

export function trackHttp2Sessions(server: EventEmitter, idleMs: number): Http2Sessions {
  const sessions = new Set<Http2Session>();
  let closing = false;
  server.on('session', (session: Http2Session) => {
    if (closing) {
      session.close();
      return;
    }
    sessions.add(session);
    session.once('close', () => sessions.delete(session));
    if (idleMs > 0) session.setTimeout(idleMs, () => session.close());
  });
  return {
    closeAll() {
      closing = true;
      for (const session of sessions) if (!session.closed) session.close();
    },
  };
}
