/**
 * Splits a subscribe request body into commands: JSON strings separated by JSON whitespace, as
 * Go's json.Decoder reads them. Bytes may arrive split anywhere (even inside a UTF-8 character).
 *
 * Invariants: items come out in order; the first value that is not a valid JSON string (or a
 * string longer than MAX_COMMAND_CHARS) yields one `invalid` item and the decoder stops there,
 * since miniqueue ends the stream on it; text after a complete string waits for more bytes.
 */
export type Decoded = { readonly kind: 'command'; readonly text: string } | { readonly kind: 'invalid' };

/** A command is a word and a number; 64 KiB without a closing quote is not a command. */
export const MAX_COMMAND_CHARS = 64 * 1024;

const WHITESPACE = new Set([' ', '\t', '\n', '\r']);

export class CommandDecoder {
  readonly #text = new TextDecoder('utf-8', { fatal: false });
  #pending = '';
  #stopped = false;

  push(chunk: Uint8Array): Decoded[] {
    if (this.#stopped) return [];
    this.#pending += this.#text.decode(chunk, { stream: true });
    return this.#drain(false);
  }

  /** The body ended: whatever is left must be whitespace. */
  end(): Decoded[] {
    if (this.#stopped) return [];
    this.#pending += this.#text.decode();
    return this.#drain(true);
  }

  #drain(atEnd: boolean): Decoded[] {
    const out: Decoded[] = [];
    for (;;) {
      let start = 0;
      while (start < this.#pending.length && WHITESPACE.has(this.#pending.charAt(start))) start++;
      this.#pending = this.#pending.slice(start);
      if (this.#pending === '') return out;
      if (this.#pending.charAt(0) !== '"') return this.#stop(out);
      const close = closingQuote(this.#pending);
      if (close === -1) {
        if (atEnd || this.#pending.length > MAX_COMMAND_CHARS) return this.#stop(out);
        return out;
      }
      const literal = this.#pending.slice(0, close + 1);
      this.#pending = this.#pending.slice(close + 1);
      const text = parseString(literal);
      if (text === null) return this.#stop(out);
      out.push({ kind: 'command', text });
    }
  }

  #stop(out: Decoded[]): Decoded[] {
    this.#stopped = true;
    this.#pending = '';
    out.push({ kind: 'invalid' });
    return out;
  }
}

/** Index of the quote that closes the string opening at 0, or -1 when it has not arrived yet. */
function closingQuote(text: string): number {
  for (let i = 1; i < text.length; i++) {
    const char = text.charAt(i);
    if (char === '\\') i++;
    else if (char === '"') return i;
  }
  return -1;
}

function parseString(literal: string): string | null {
  try {
    const value: unknown = JSON.parse(literal);
    return typeof value === 'string' ? value : null;
  } catch {
    return null;
  }
}
