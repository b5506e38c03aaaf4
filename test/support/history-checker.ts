/**
 * The history checker of docs/reliability.md section 3: a total-queue checker in the spirit of
 * Jepsen's and RabbitMQ's, over the events of test/support/history.ts. Every check is a linear
 * pass over maps keyed by value or job id.
 *
 * Must be zero: lost, unexpected, phantom, redelivered-after-ack, double-ack, lease overlap.
 * Reported: recovered, duplicates (split by cause).
 *
 * Time windows are conservative, so that a correct server can never be flagged: a lease is
 * certainly held from its completion until `invoke + leaseMs` (the server started it no earlier
 * than the invoke), or until the invoke of an ack or nack that presented its token.
 */
import type { HistoryEvent, LeasedRecord, OpName } from './history.ts';
import type { CheckReport, DuplicateCause } from './history-report.ts';

/** One operation: an invoke and its completion (undefined when the history ended first). */
interface Op {
  readonly p: string;
  readonly f: OpName;
  readonly invoke: HistoryEvent;
  readonly outcome: 'ok' | 'fail' | 'info';
  readonly end: number;
  readonly complete: HistoryEvent | undefined;
}

interface LeaseObs extends LeasedRecord {
  readonly invokeT: number;
  readonly completeT: number;
}

/** Pairs each invoke with the next completion of the same process. */
export function pairOperations(history: readonly HistoryEvent[]): Op[] {
  const pending = new Map<string, HistoryEvent>();
  const ops: Op[] = [];
  const opened = new Map<HistoryEvent, number>();
  for (const event of history) {
    if (event.p === 'nemesis') continue;
    if (event.type === 'invoke') {
      if (pending.has(event.p)) throw new Error(`process ${event.p} invoked ${event.f} while an operation was open`);
      pending.set(event.p, event);
      opened.set(event, ops.length);
      ops.push({
        p: event.p,
        f: event.f,
        invoke: event,
        outcome: 'info',
        end: Number.POSITIVE_INFINITY,
        complete: undefined,
      });
      continue;
    }
    const invoke = pending.get(event.p);
    if (invoke === undefined || invoke.f !== event.f)
      throw new Error(`process ${event.p} completed ${event.f} it never invoked`);
    pending.delete(event.p);
    ops[opened.get(invoke)!] = { p: event.p, f: event.f, invoke, outcome: event.type, end: event.t, complete: event };
  }
  return ops;
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [value]);
  else list.push(value);
}

/** What the operations say, indexed for the checks. */
interface Index {
  readonly enqueued: Map<string, Set<'ok' | 'fail' | 'info'>>;
  readonly leases: Map<string, LeaseObs[]>;
  readonly leasesById: Map<string, LeaseObs[]>;
  readonly okAcks: Map<string, Op[]>;
  readonly consumed: Set<string>;
  /** Invoke times of acks and nacks (ok or unknown) per lease token: where a lease may have ended. */
  readonly releases: Map<string, number>;
  readonly nackedTokens: Set<string>;
  /** Guaranteed lease ends pushed out by successful extends, per token. */
  readonly extendedTo: Map<string, number>;
  readonly crashes: number[];
}

function indexHistory(history: readonly HistoryEvent[]): Index {
  const index: Index = {
    enqueued: new Map(),
    leases: new Map(),
    leasesById: new Map(),
    okAcks: new Map(),
    consumed: new Set(),
    releases: new Map(),
    nackedTokens: new Set(),
    extendedTo: new Map(),
    crashes: [],
  };
  for (const event of history) if (event.p === 'nemesis' && event.f === 'crash') index.crashes.push(event.t);
  for (const op of pairOperations(history)) indexOperation(index, op);
  return index;
}

function indexOperation(index: Index, op: Op): void {
  const { invoke, outcome } = op;
  const value = invoke.value;
  switch (op.f) {
    case 'enqueue': {
      if (value === undefined) throw new Error(`enqueue by ${op.p} has no value`);
      const outcomes = index.enqueued.get(value) ?? new Set();
      outcomes.add(outcome);
      index.enqueued.set(value, outcomes);
      return;
    }
    case 'lease':
    case 'drain':
      if (outcome !== 'ok') return;
      for (const job of op.complete?.jobs ?? []) {
        const obs: LeaseObs = { ...job, invokeT: invoke.t, completeT: op.end };
        push(index.leases, job.value, obs);
        push(index.leasesById, job.id, obs);
        if (op.f === 'drain') index.consumed.add(job.value);
      }
      return;
    case 'ack':
    case 'nack':
      if (outcome === 'fail') return;
      if (invoke.token !== undefined) {
        const previous = index.releases.get(invoke.token) ?? Number.POSITIVE_INFINITY;
        index.releases.set(invoke.token, Math.min(previous, invoke.t));
        if (op.f === 'nack') index.nackedTokens.add(invoke.token);
      }
      if (op.f === 'ack' && value !== undefined) {
        index.consumed.add(value);
        if (outcome === 'ok' && invoke.id !== undefined) push(index.okAcks, invoke.id, op);
      }
      return;
    case 'extend':
      if (outcome === 'ok' && invoke.token !== undefined && invoke.leaseMs !== undefined) {
        const previous = index.extendedTo.get(invoke.token) ?? 0;
        index.extendedTo.set(invoke.token, Math.max(previous, invoke.t + invoke.leaseMs));
      }
      return;
    case 'crash':
      return;
  }
}

function checkEnqueues(index: Index): Pick<CheckReport, 'lost' | 'unexpected' | 'phantom' | 'recovered'> {
  const lost: string[] = [];
  const unexpected: string[] = [];
  const phantom: string[] = [];
  const recovered: string[] = [];
  for (const [value, outcomes] of index.enqueued) {
    if (outcomes.has('ok') && !index.consumed.has(value)) lost.push(value);
  }
  for (const value of index.leases.keys()) {
    const outcomes = index.enqueued.get(value);
    if (outcomes === undefined) unexpected.push(value);
    else if (!outcomes.has('ok') && !outcomes.has('info')) phantom.push(value);
    else if (!outcomes.has('ok')) recovered.push(value);
  }
  return { lost, unexpected, phantom, recovered };
}

function duplicateCause(index: Index, earlier: readonly LeaseObs[], lease: LeaseObs): DuplicateCause {
  const sameJob = earlier.filter((previous) => previous.id === lease.id);
  const previous = sameJob.at(-1);
  if (previous === undefined) return 'producer';
  if (index.nackedTokens.has(previous.token)) return 'nack';
  if (index.crashes.some((t) => t > previous.completeT && t < lease.completeT)) return 'crash';
  return 'expiry';
}

function checkDuplicates(index: Index): CheckReport['duplicates'] {
  const byCause: Record<DuplicateCause, number> = { producer: 0, nack: 0, crash: 0, expiry: 0 };
  let values = 0;
  for (const leases of index.leases.values()) {
    if (leases.length < 2) continue;
    values += 1;
    const sorted = [...leases].sort((a, b) => a.completeT - b.completeT);
    sorted.slice(1).forEach((lease, i) => (byCause[duplicateCause(index, sorted.slice(0, i + 1), lease)] += 1));
  }
  return { values, fraction: index.leases.size === 0 ? 0 : values / index.leases.size, byCause };
}

/** A lease invoked after an ok ack of the same job returned that job again. */
function checkRedeliveredAfterAck(index: Index): string[] {
  const found: string[] = [];
  for (const [id, acks] of index.okAcks) {
    const firstAckEnd = Math.min(...acks.map((ack) => ack.end));
    const later = (index.leasesById.get(id) ?? []).filter((lease) => lease.invokeT > firstAckEnd);
    if (later.length > 0) found.push(later[0]!.value);
  }
  return found;
}

/**
 * Two ok acks of one job, or an ok ack whose token was stale: a newer lease of the job had
 * completed before the ack was invoked, or no lease ever returned the token.
 */
function checkDoubleAck(index: Index): string[] {
  const found = new Set<string>();
  for (const [id, acks] of index.okAcks) {
    const leases = index.leasesById.get(id) ?? [];
    const firstAckEnd = Math.min(...acks.map((ack) => ack.end));
    const redelivered = leases.some((lease) => lease.invokeT > firstAckEnd);
    if (acks.length > 1 && !redelivered) found.add(acks[0]!.invoke.value ?? id);
    for (const ack of acks) {
      const own = leases.find((lease) => lease.token === ack.invoke.token);
      const superseded = leases.some(
        (lease) => own !== undefined && lease.completeT > own.completeT && lease.completeT < ack.invoke.t,
      );
      if (own === undefined || superseded) found.add(ack.invoke.value ?? id);
    }
  }
  return [...found];
}

/** Two leases of one job that were both certainly valid at one moment. */
function checkLeaseOverlap(index: Index): string[] {
  const found: string[] = [];
  for (const leases of index.leasesById.values()) {
    const sorted = [...leases].sort((a, b) => a.completeT - b.completeT);
    let heldUntil = Number.NEGATIVE_INFINITY;
    for (const lease of sorted) {
      if (lease.completeT < heldUntil) {
        found.push(lease.value);
        break;
      }
      const extended = Math.max(lease.invokeT + lease.leaseMs, index.extendedTo.get(lease.token) ?? 0);
      heldUntil = Math.max(heldUntil, Math.min(extended, index.releases.get(lease.token) ?? Number.POSITIVE_INFINITY));
    }
  }
  return found;
}

/** Runs every check over a history recorded in real-time order. Throws on a malformed history. */
export function checkHistory(history: readonly HistoryEvent[]): CheckReport {
  const index = indexHistory(history);
  const enqueues = checkEnqueues(index);
  const redeliveredAfterAck = checkRedeliveredAfterAck(index);
  const doubleAck = checkDoubleAck(index);
  const leaseOverlap = checkLeaseOverlap(index);
  const outcomes = [...index.enqueued.values()];
  const counts = {
    enqueueOk: outcomes.filter((o) => o.has('ok')).length,
    enqueueFail: outcomes.filter((o) => o.has('fail') && !o.has('ok') && !o.has('info')).length,
    enqueueInfo: outcomes.filter((o) => o.has('info') && !o.has('ok')).length,
    leased: index.leases.size,
    acked: index.okAcks.size,
  };
  const violations = [
    enqueues.lost,
    enqueues.unexpected,
    enqueues.phantom,
    redeliveredAfterAck,
    doubleAck,
    leaseOverlap,
  ];
  return {
    valid: violations.every((list) => list.length === 0),
    counts,
    ...enqueues,
    duplicates: checkDuplicates(index),
    redeliveredAfterAck,
    doubleAck,
    leaseOverlap,
  };
}
