/**
 * The WebSocket the consumer stream runs on: the platform's own (browsers, Node 22+), or the
 * `ws` package on Node 20, which has none. `ws` is loaded only when needed, so a browser bundle
 * never reaches it. Both speak the WHATWG interface this SDK uses.
 */
export interface WebSocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  addEventListener(type: 'open' | 'error', listener: () => void): void;
  addEventListener(type: 'message', listener: (event: { readonly data: unknown }) => void): void;
  addEventListener(type: 'close', listener: (event: { readonly code: number; readonly reason: string }) => void): void;
}

export type WebSocketConstructor = new (url: string, protocols?: string[]) => WebSocketLike;

/** WebSocket.OPEN. */
export const OPEN = 1;

export async function webSocketConstructor(): Promise<WebSocketConstructor> {
  const native = (globalThis as { WebSocket?: WebSocketConstructor }).WebSocket;
  if (native !== undefined) return native;
  const ws = await import('ws');
  return ws.WebSocket;
}
