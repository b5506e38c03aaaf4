/**
 * The common checks of the batch actions, which SQS makes before any entry is tried: at least
 * one and at most 10 entries, each a structure with a distinct Id of letters, digits, hyphens
 * and underscores (up to 80). What an entry's own input gets wrong fails that entry only, as a
 * BatchResultErrorEntry.
 */
import { sqsErrorOf } from '../engine-errors.ts';
import { sqsErrors } from '../errors.ts';
import { asInput, optionalList, type Input } from '../input.ts';

const MAX_ENTRIES = 10;
const ENTRY_ID = /^[A-Za-z0-9_-]{1,80}$/;

export interface Entry {
  readonly id: string;
  readonly input: Input;
}

export function batchEntries(input: Input): Entry[] {
  const raw = optionalList(input, 'Entries') ?? [];
  if (raw.length === 0) throw sqsErrors.emptyBatchRequest();
  if (raw.length > MAX_ENTRIES) throw sqsErrors.tooManyEntriesInBatchRequest(raw.length);
  const seen = new Set<string>();
  return raw.map((item, index) => {
    const entry = asInput(item, `Entries.${index + 1}`);
    const id = entry['Id'];
    if (typeof id !== 'string' || !ENTRY_ID.test(id)) throw sqsErrors.invalidBatchEntryId(String(id));
    if (seen.has(id)) throw sqsErrors.batchEntryIdsNotDistinct(id);
    seen.add(id);
    return { id, input: entry };
  });
}

export interface FailedEntry {
  readonly Id: string;
  readonly SenderFault: boolean;
  readonly Code: string;
  readonly Message: string;
}

/** The BatchResultErrorEntry for an entry that failed with `err`; unexpected errors are rethrown. */
export function failedEntry(id: string, err: unknown): FailedEntry {
  const known = sqsErrorOf(err);
  if (known === null) throw err;
  return { Id: id, SenderFault: known.senderFault, Code: known.code, Message: known.message };
}

/** SQS's batch answer: `Successful` and `Failed` are always present in the JSON protocol. */
export function batchOutput(successful: readonly unknown[], failed: readonly FailedEntry[]): Record<string, unknown> {
  return { Successful: successful, Failed: failed };
}
