import { JOB_STATES, type Job, type QueueStats } from '@docket/protocol';
import { describe, expect, it } from 'vitest';
import { formatTable } from './output.ts';
import { JOB_STATE_NAMES, QUEUE_COLUMNS, jobRow, queueRow } from './rows.ts';

describe('rows', () => {
  it('spells the job states exactly as the protocol does', () => {
    expect([...JOB_STATE_NAMES]).toEqual([...JOB_STATES]);
  });

  it('cuts long payloads and shows the dead reason in the state column', () => {
    const job = {
      id: 'j1',
      queue: 'q',
      name: null,
      state: 'dead',
      deadReason: 'expired',
      attempts: 2,
      maxAttempts: 5,
      priority: 0,
      runAt: 0,
      data: { text: 'x'.repeat(100) },
    } as unknown as Job;
    const row = jobRow(job);
    expect(row['state']).toBe('dead (expired)');
    expect(row['attempts']).toBe('2/5');
    expect(String(row['data'])).toHaveLength(60);
    expect(String(row['data']).endsWith('…')).toBe(true);
  });

  it("shows a queue's counts by state and its lifetime totals, a cell for every column", () => {
    const queue: QueueStats = {
      name: 'emails',
      paused: false,
      config: {},
      createdAt: 0,
      counts: { delayed: 1, waiting: 2, active: 3, completed: 4, dead: 5 },
      totals: { completed: 40, failed: 7 },
    };
    const row = queueRow(queue);
    expect(row).toMatchObject({ completed: 4, dead: 5, 'total-completed': 40, 'total-failed': 7 });
    expect(Object.keys(row).sort()).toEqual([...QUEUE_COLUMNS].sort());
  });

  it('aligns table columns under an upper-case header', () => {
    const text = formatTable(
      [
        { name: 'emails', waiting: 12 },
        { name: 'q', waiting: null },
      ],
      ['name', 'waiting'],
    );
    expect(text).toBe('NAME    WAITING\nemails  12\nq       -\n');
  });
});
