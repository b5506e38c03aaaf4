/**
 * Content-Encoding of a request body: the decoders Docket applies (gzip, deflate, br), and the
 * 415 for any other coding, so encoded bytes are never taken for the payload. Codings are listed
 * in the order they were applied, so they are undone from the last to the first.
 */
import { createBrotliDecompress, createGunzip, createInflate, type Gunzip } from 'node:zlib';
import type { IncomingHttpHeaders } from 'node:http';
import type { Transform } from 'node:stream';
import { DocketError, ErrorCode } from '@docket/protocol';

export type Coding = 'gzip' | 'deflate' | 'br';

const DECODERS: Readonly<Record<Coding, () => Gunzip | Transform>> = {
  gzip: () => createGunzip(),
  deflate: () => createInflate(),
  br: () => createBrotliDecompress(),
};

const ALIASES: Readonly<Record<string, Coding | 'identity'>> = {
  gzip: 'gzip',
  'x-gzip': 'gzip',
  deflate: 'deflate',
  br: 'br',
  identity: 'identity',
};

/** The codings to undo, outermost (last applied) first; refuses a coding Docket cannot undo. */
export function codingsToUndo(headers: IncomingHttpHeaders): Coding[] {
  const header = headers['content-encoding'];
  if (header === undefined) return [];
  const codings: Coding[] = [];
  for (const token of header.split(',')) {
    const name = token.trim().toLowerCase();
    if (name === '') continue;
    const coding = ALIASES[name];
    if (coding === undefined) {
      throw new DocketError(
        ErrorCode.UNSUPPORTED_MEDIA_TYPE,
        `unsupported content encoding ${name.slice(0, 40)}: expected gzip, deflate, br or identity`,
        { contentEncoding: header.slice(0, 200) },
      );
    }
    if (coding !== 'identity') codings.push(coding);
  }
  return codings.reverse();
}

export function decoderFor(coding: Coding): Transform {
  return DECODERS[coding]();
}
