/**
 * RESP2 replies as the door writes them: simple strings (`+OK`), errors (`-…`) and bulk strings
 * (a delivered message's bytes). A simple string or error cannot hold CR or LF, so those become
 * spaces (as miniqueue's `INFO` shows its VERSION file's newline).
 */
const oneLine = (text: string): string => text.replace(/[\r\n]/g, ' ');

export function simple(text: string): Buffer {
  return Buffer.from(`+${oneLine(text)}\r\n`, 'utf8');
}

export function error(text: string): Buffer {
  return Buffer.from(`-${oneLine(text)}\r\n`, 'utf8');
}

export function bulk(bytes: Uint8Array): Buffer {
  return Buffer.concat([Buffer.from(`$${bytes.byteLength}\r\n`), bytes, Buffer.from('\r\n')]);
}
