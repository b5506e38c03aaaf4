/**
 * What the miniqueue door writes: a delivered message as `{"msg": <base64>, "dackCount": n}`
 * with miniqueue's `omitempty` (no `msg` for an empty payload, so `{}`; no `dackCount` when 0),
 * and refusals as `{"error": "<text>"}`, each line ending in `\n`. Jobs enqueued by other doors
 * or the native API render the same way: a JSON payload is sent as the bytes of its JSON text.
 */
import { encodePayload, type Job } from '@docket/protocol';

export function payloadBytes(job: Pick<Job, 'encoding' | 'data'>): Uint8Array {
  return encodePayload(job.encoding, job.data);
}

export function messageLine(job: Pick<Job, 'encoding' | 'data' | 'delayedNacks'>): string {
  const bytes = payloadBytes(job);
  const body: { msg?: string; dackCount?: number } = {};
  if (bytes.length > 0) body.msg = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
  if (job.delayedNacks > 0) body.dackCount = job.delayedNacks;
  return `${JSON.stringify(body)}\n`;
}

export function errorLine(message: string): string {
  return `${JSON.stringify({ error: message })}\n`;
}
