/**
 * The subscribe response: status 200 and `text/plain; charset=utf-8` (what Go sniffs from
 * miniqueue's replies), sent lazily with the first line as miniqueue does, so a client's request
 * call returns with the first message or error. Each line is written at once. Writing to a
 * response the client already closed is a no-op.
 */
import type { ServerResponse } from 'node:http';
import type { Http2ServerResponse } from 'node:http2';
import type { Job } from '@docket/protocol';
import { errorLine, messageLine } from './render.ts';

/** What both HTTP/1.1 and HTTP/2 responses offer, and all the writer uses. */
interface LineSink {
  statusCode: number;
  readonly headersSent: boolean;
  readonly destroyed: boolean;
  readonly writableEnded: boolean;
  setHeader(name: string, value: string): unknown;
  write(chunk: string): boolean;
  end(): unknown;
}

export class StreamWriter {
  readonly #response: LineSink;

  constructor(response: ServerResponse | Http2ServerResponse) {
    this.#response = response;
  }

  get open(): boolean {
    return !this.#response.destroyed && !this.#response.writableEnded;
  }

  message(job: Pick<Job, 'encoding' | 'data' | 'delayedNacks'>): void {
    this.#write(messageLine(job));
  }

  error(text: string): void {
    this.#write(errorLine(text));
  }

  end(): void {
    if (!this.open) return;
    if (!this.#response.headersSent) this.#response.statusCode = 200;
    this.#response.end();
  }

  #write(line: string): void {
    if (!this.open) return;
    if (!this.#response.headersSent) {
      this.#response.statusCode = 200;
      this.#response.setHeader('content-type', 'text/plain; charset=utf-8');
    }
    this.#response.write(line);
  }
}
