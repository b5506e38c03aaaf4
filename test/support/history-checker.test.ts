import { describe, expect, it } from 'vitest';
import type { HistoryEvent, LeasedRecord } from './history.ts';
import { checkHistory, pairOperations } from './history-checker.ts';
import { formatReport } from './history-report.ts';

/** Hand-made histories: each helper appends an invoke at `t` and its completion at `t + 1`. */
class History {
  readonly events: HistoryEvent[] = [];

  enqueue(p: string, value: string, outcome: 'ok' | 'fail' | 'info', t: number): this {
    this.events.push(
      { p, type: 'invoke', f: 'enqueue', value, t },
      { p, type: outcome, f: 'enqueue', value, t: t + 1 },
    );
    return this;
  }

  lease(
    p: string,
    t: number,
    jobs: readonly [value: string, id: string, token: string][],
    leaseMs = 1000,
    f: 'lease' | 'drain' = 'lease',
  ): this {
    const records: LeasedRecord[] = jobs.map(([value, id, token]) => ({ value, id, token, attempt: 1, leaseMs }));
    this.events.push({ p, type: 'invoke', f, t }, { p, type: 'ok', f, jobs: records, t: t + 1 });
    return this;
  }

  settle(
    f: 'ack' | 'nack',
    p: string,
    value: string,
    id: string,
    token: string,
    outcome: 'ok' | 'fail' | 'info',
    t: number,
  ): this {
    const fields = { f, value, id, token };
    this.events.push({ p, type: 'invoke', t, ...fields }, { p, type: outcome, t: t + 1, ...fields });
    return this;
  }

  ack(p: string, value: string, id: string, token: string, t: number, outcome: 'ok' | 'fail' | 'info' = 'ok'): this {
    return this.settle('ack', p, value, id, token, outcome, t);
  }

  extend(p: string, id: string, token: string, leaseMs: number, t: number): this {
    const fields = { f: 'extend' as const, id, token, leaseMs };
    this.events.push({ p, type: 'invoke', t, ...fields }, { p, type: 'ok', t: t + 1, ...fields });
    return this;
  }

  crash(t: number): this {
    this.events.push({ p: 'nemesis', type: 'info', f: 'crash', t });
    return this;
  }
}

/** Two jobs enqueued, leased, acked: every check passes. */
function good(): History {
  return new History()
    .enqueue('p1', 'a', 'ok', 0)
    .enqueue('p1', 'b', 'ok', 2)
    .lease('c1', 10, [['a', 'ja', 'ta1']])
    .ack('c1', 'a', 'ja', 'ta1', 12)
    .lease('c1', 14, [['b', 'jb', 'tb1']])
    .ack('c1', 'b', 'jb', 'tb1', 16);
}

describe('history checker', () => {
  it('passes a good history with every count at zero', () => {
    const report = checkHistory(good().events);
    expect(report.valid).toBe(true);
    expect(report.counts).toEqual({ enqueueOk: 2, enqueueFail: 0, enqueueInfo: 0, leased: 2, acked: 2 });
    expect(report.duplicates.values).toBe(0);
    expect(formatReport(report)).toContain('valid: true');
  });

  it('finds an ok enqueue that was never acked as lost', () => {
    const report = checkHistory(
      good()
        .enqueue('p1', 'c', 'ok', 20)
        .lease('c1', 22, [['c', 'jc', 'tc1']]).events,
    );
    expect(report.lost).toEqual(['c']);
    expect(report.valid).toBe(false);
  });

  it('does not count a value as lost when its ack outcome is unknown or it was drained', () => {
    const history = good()
      .enqueue('p1', 'c', 'ok', 20)
      .lease('c1', 22, [['c', 'jc', 'tc1']])
      .ack('c1', 'c', 'jc', 'tc1', 24, 'info')
      .enqueue('p1', 'd', 'ok', 30)
      .lease('c2', 32, [['d', 'jd', 'td1']], 1000, 'drain');
    expect(checkHistory(history.events).lost).toEqual([]);
  });

  it('finds a leased value that was never enqueued as unexpected', () => {
    const report = checkHistory(
      good()
        .lease('c1', 20, [['z', 'jz', 'tz1']])
        .ack('c1', 'z', 'jz', 'tz1', 22).events,
    );
    expect(report.unexpected).toEqual(['z']);
    expect(report.valid).toBe(false);
  });

  it('finds a value whose enqueue definitely failed but was leased as phantom', () => {
    const history = good()
      .enqueue('p1', 'f', 'fail', 20)
      .lease('c1', 22, [['f', 'jf', 'tf1']])
      .ack('c1', 'f', 'jf', 'tf1', 24);
    const report = checkHistory(history.events);
    expect(report.phantom).toEqual(['f']);
    expect(report.recovered).toEqual([]);
    expect(report.valid).toBe(false);
  });

  it('reports an unknown enqueue that was later leased as recovered, which is valid', () => {
    const history = good()
      .enqueue('p1', 'r', 'info', 20)
      .lease('c1', 22, [['r', 'jr', 'tr1']])
      .ack('c1', 'r', 'jr', 'tr1', 24);
    const report = checkHistory(history.events);
    expect(report.recovered).toEqual(['r']);
    expect(report.phantom).toEqual([]);
    expect(report.valid).toBe(true);
  });

  it('treats an invoke with no completion as unknown', () => {
    const events: HistoryEvent[] = [...good().events, { p: 'p9', type: 'invoke', f: 'enqueue', value: 'x', t: 30 }];
    expect(pairOperations(events).at(-1)?.outcome).toBe('info');
    expect(checkHistory(events).lost).toEqual([]);
  });

  it('rejects a malformed history', () => {
    expect(() => checkHistory([{ p: 'c1', type: 'ok', f: 'ack', t: 1 }])).toThrow(/never invoked/);
    const twice: HistoryEvent[] = [
      { p: 'c1', type: 'invoke', f: 'lease', t: 1 },
      { p: 'c1', type: 'invoke', f: 'lease', t: 2 },
    ];
    expect(() => checkHistory(twice)).toThrow(/while an operation was open/);
  });

  it('splits duplicates by cause: producer, nack, crash and expiry', () => {
    const history = new History()
      .enqueue('p1', 'a', 'ok', 0)
      .enqueue('p1', 'b', 'ok', 2)
      .enqueue('p1', 'c', 'ok', 4)
      .enqueue('p1', 'd', 'ok', 6)
      .lease(
        'c1',
        10,
        [
          ['a', 'ja1', 't1'],
          ['b', 'jb', 't2'],
          ['c', 'jc', 't3'],
        ],
        50,
      )
      .settle('nack', 'c1', 'b', 'jb', 't2', 'ok', 12)
      .crash(100)
      .lease('c1', 150, [['d', 'jd', 't4']], 50)
      .lease(
        'c1',
        200,
        [
          ['a', 'ja2', 't5'],
          ['b', 'jb', 't6'],
          ['c', 'jc', 't7'],
        ],
        50,
      )
      .lease('c1', 3000, [['d', 'jd', 't8']], 50);
    const report = checkHistory(history.events);
    expect(report.duplicates.byCause).toEqual({ producer: 1, nack: 1, crash: 1, expiry: 1 });
    expect(report.duplicates.values).toBe(4);
    expect(report.leaseOverlap).toEqual([]);
  });

  it('finds a job leased again after its ack succeeded', () => {
    const history = good().lease('c2', 30, [['a', 'ja', 'ta2']]);
    expect(checkHistory(history.events).redeliveredAfterAck).toEqual(['a']);
  });

  it('does not call a lease that overlapped the ack in time a redelivery after ack', () => {
    const history = new History().enqueue('p1', 'a', 'ok', 0).lease('c1', 10, [['a', 'ja', 'ta1']], 5);
    history.events.push(
      { p: 'c1', type: 'invoke', f: 'ack', value: 'a', id: 'ja', token: 'ta1', t: 20 },
      { p: 'c2', type: 'invoke', f: 'lease', t: 21 },
      {
        p: 'c2',
        type: 'ok',
        f: 'lease',
        jobs: [{ value: 'a', id: 'ja', token: 'ta2', attempt: 2, leaseMs: 5 }],
        t: 22,
      },
      { p: 'c1', type: 'fail', f: 'ack', value: 'a', id: 'ja', token: 'ta1', t: 23 },
    );
    history.ack('c2', 'a', 'ja', 'ta2', 24);
    const report = checkHistory(history.events);
    expect(report.redeliveredAfterAck).toEqual([]);
    expect(report.doubleAck).toEqual([]);
    expect(report.valid).toBe(true);
  });

  it('finds a job acked twice under one lease', () => {
    expect(checkHistory(good().ack('c1', 'a', 'ja', 'ta1', 20).events).doubleAck).toEqual(['a']);
  });

  it('finds an ack with a stale token that was accepted', () => {
    const history = new History()
      .enqueue('p1', 'a', 'ok', 0)
      .lease('c1', 10, [['a', 'ja', 'ta1']], 5)
      .lease('c2', 30, [['a', 'ja', 'ta2']], 5)
      .ack('c1', 'a', 'ja', 'ta1', 40);
    const report = checkHistory(history.events);
    expect(report.doubleAck).toEqual(['a']);
    expect(report.valid).toBe(false);
  });

  it('finds an accepted ack whose token no lease returned', () => {
    const history = new History()
      .enqueue('p1', 'a', 'ok', 0)
      .lease('c1', 10, [['a', 'ja', 'ta1']])
      .ack('c1', 'a', 'ja', 'forged', 20);
    expect(checkHistory(history.events).doubleAck).toEqual(['a']);
  });

  it('finds two leases of one job that were valid at the same moment', () => {
    const history = new History()
      .enqueue('p1', 'a', 'ok', 0)
      .lease('c1', 10, [['a', 'ja', 'ta1']], 1000)
      .lease('c2', 500, [['a', 'ja', 'ta2']], 1000)
      .ack('c2', 'a', 'ja', 'ta2', 600);
    expect(checkHistory(history.events).leaseOverlap).toEqual(['a']);
  });

  it('accepts a new lease after the old one ran out or was given back, and honours extends', () => {
    const expired = new History()
      .enqueue('p1', 'a', 'ok', 0)
      .lease('c1', 10, [['a', 'ja', 'ta1']], 1000)
      .lease('c2', 1500, [['a', 'ja', 'ta2']], 1000)
      .ack('c2', 'a', 'ja', 'ta2', 1600);
    expect(checkHistory(expired.events).valid).toBe(true);
    const nacked = new History()
      .enqueue('p1', 'a', 'ok', 0)
      .lease('c1', 10, [['a', 'ja', 'ta1']], 1000)
      .settle('nack', 'c1', 'a', 'ja', 'ta1', 'ok', 200)
      .lease('c2', 300, [['a', 'ja', 'ta2']], 1000)
      .ack('c2', 'a', 'ja', 'ta2', 400);
    expect(checkHistory(nacked.events).valid).toBe(true);
    const extended = new History()
      .enqueue('p1', 'a', 'ok', 0)
      .lease('c1', 10, [['a', 'ja', 'ta1']], 1000)
      .extend('c1', 'ja', 'ta1', 1000, 900)
      .lease('c2', 1500, [['a', 'ja', 'ta2']], 1000);
    expect(checkHistory(extended.events).leaseOverlap).toEqual(['a']);
  });
});
