/**
 * The subscribe request body as a queue of commands, read as it arrives (full duplex): items
 * are taken one at a time by the session while later bytes keep arriving.
 *
 * Invariants: items come out in order and end with exactly one `end` (after the body ended, or
 * at once when the stream is closed); reading pauses while HIGH_WATER items wait, so a client
 * that floods commands cannot grow memory; `drained` aborts once the body has ended and every
 * command before the end has been taken, that is when the client can send nothing more.
 */
import type { Readable } from 'node:stream';
import { CommandDecoder, type Decoded } from './command-decoder.ts';

export type StreamItem = Decoded | { readonly kind: 'end' };

/** Commands read ahead while the session is busy; miniqueue reads none ahead. */
const HIGH_WATER = 16;

const END: StreamItem = { kind: 'end' };

export class CommandStream {
  readonly #body: Readable;
  readonly #decoder = new CommandDecoder();
  readonly #items: StreamItem[] = [];
  readonly #drained = new AbortController();
  #ended = false;
  #wake: (() => void) | null = null;

  constructor(body: Readable) {
    this.#body = body;
    body.on('data', this.#onData);
    body.once('end', this.#onEnd);
  }

  /** Aborted once the body ended and no command is left before its end. */
  get drained(): AbortSignal {
    return this.#drained.signal;
  }

  /** The next item; `end` when the body ended or `stop` aborted. */
  async next(stop: AbortSignal): Promise<StreamItem> {
    while (this.#items.length === 0 && !stop.aborted) {
      await new Promise<void>((resolve) => {
        const done = (): void => {
          stop.removeEventListener('abort', done);
          this.#wake = null;
          resolve();
        };
        this.#wake = done;
        stop.addEventListener('abort', done, { once: true });
      });
    }
    if (stop.aborted) return END;
    const item = this.#items.shift() ?? END;
    if (this.#items.length < HIGH_WATER && this.#body.isPaused() && !this.#ended) this.#body.resume();
    this.#checkDrained();
    return item;
  }

  /** Stops reading; what the client still sends is discarded. */
  close(): void {
    this.#body.off('data', this.#onData);
    this.#body.off('end', this.#onEnd);
    this.#body.resume();
  }

  readonly #onData = (chunk: Buffer | string): void => {
    this.#add(this.#decoder.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk));
    if (this.#items.length >= HIGH_WATER) this.#body.pause();
  };

  readonly #onEnd = (): void => {
    this.#add([...this.#decoder.end(), END]);
    this.#ended = true;
    this.#checkDrained();
  };

  #add(items: readonly StreamItem[]): void {
    if (items.length === 0) return;
    this.#items.push(...items);
    this.#wake?.();
  }

  #checkDrained(): void {
    if (this.#ended && this.#items.every((item) => item.kind === 'end')) this.#drained.abort();
  }
}
