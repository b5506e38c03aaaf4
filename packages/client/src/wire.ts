/**
 * The JSON wire of the /v1 API as the SDK sees it: a bytes payload travels as base64 text next to
 * `encoding: 'bytes'`, a JSON payload as the value itself; the lease token travels as `lease`.
 * The mirror of the server's wire.ts.
 */
import type { Job, JsonValue, LeasedJob } from '@docket/protocol';
import { base64ToBytes, bytesToBase64 } from './base64.ts';
import type { AckRequest, EnqueueRequest, ExtendRequest, NackRequest } from './transport.ts';

/** A job as the API renders it: bytes payloads are base64 text. */
export type WireJob = Omit<Job, 'data'> & { readonly data: unknown };

export function fromWireJob(wire: WireJob): Job {
  if (wire.encoding === 'bytes') return { ...wire, data: base64ToBytes(String(wire.data)) };
  return { ...wire, data: wire.data as JsonValue };
}

/** Lease and extend answer active jobs, which carry their token. */
export function fromWireLeasedJob(wire: WireJob): LeasedJob {
  return fromWireJob(wire) as LeasedJob;
}

export function toWireEnqueue(request: EnqueueRequest): Record<string, unknown> {
  const { data, ...options } = request;
  if (data instanceof Uint8Array) return { ...options, data: bytesToBase64(data), encoding: 'bytes' };
  return { ...options, data };
}

export function toWireAck(request: AckRequest): Record<string, unknown> {
  const { token, ...rest } = request;
  return { lease: token, ...rest };
}

export function toWireNack(request: NackRequest): Record<string, unknown> {
  const { token, ...rest } = request;
  return { lease: token, ...rest };
}

export function toWireExtend(request: ExtendRequest): Record<string, unknown> {
  const { token, ...rest } = request;
  return { lease: token, ...rest };
}
