/**
 * Queues: every queue with counts, paused, consumers, oldest waiting age, rates and a depth
 * sparkline (the server's samples); sortable by every column, filtered by name, 50 rows a page.
 * The list is loaded whole (1 000 queues a request) so sorting covers every queue, not one page.
 */
import { html } from 'htm/preact';
import { useState } from 'preact/hooks';
import { api, type Counted } from '../api.ts';
import { count, duration, failureRate, percent, rate } from '../format.ts';
import { counting, usePoll } from '../live.ts';
import { Sparkline } from '../parts/sparkline.ts';
import { href } from '../router.ts';
import { JOB_STATES, type QueueRates, type Worker } from '../types.ts';

const PAGE = 50;
/** A worker seen within this long counts as a consumer of its queues. */
const CONSUMER_WINDOW_MS = 60_000;

export interface Row {
  readonly data: QueueRates;
  readonly consumers: number;
}

type Key = (row: Row) => number | string;
const COLUMNS: readonly { id: string; label: string; key: Key }[] = [
  { id: 'name', label: 'name', key: (r) => r.data.queue.name },
  ...JOB_STATES.map((state) => ({ id: state, label: state, key: (r: Row) => r.data.queue.counts[state] })),
  { id: 'paused', label: 'paused', key: (r) => (r.data.queue.paused ? 1 : 0) },
  { id: 'consumers', label: 'consumers', key: (r) => r.consumers },
  { id: 'oldest', label: 'oldest waiting', key: (r) => r.data.oldestWaitingAgeMs ?? -1 },
  { id: 'enqueued', label: 'in/s', key: (r) => r.data.rates.enqueued },
  { id: 'acked', label: 'ack/s', key: (r) => r.data.rates.acked },
  { id: 'failed', label: 'fail/s', key: (r) => r.data.rates.failed },
  { id: 'failureRate', label: 'failure rate', key: (r) => failureRate(r.data.queue.totals) },
];

async function load(): Promise<Counted<Row[]>> {
  const [queues, workers] = await Promise.all([api.allQueueRates(), allWorkers()]);
  const now = Date.now();
  const consumers = new Map<string, number>();
  for (const worker of workers) {
    if (now - worker.lastSeenAt > CONSUMER_WINDOW_MS) continue;
    for (const queue of worker.queues) consumers.set(queue, (consumers.get(queue) ?? 0) + 1);
  }
  return {
    value: queues.value.map((data) => ({ data, consumers: consumers.get(data.queue.name) ?? 0 })),
    countMs: queues.countMs,
  };
}

export async function allWorkers(): Promise<Worker[]> {
  const all: Worker[] = [];
  let cursor: string | null = null;
  do {
    const page: { items: Worker[]; cursor: string | null } = await api.workers(cursor);
    all.push(...page.items);
    cursor = page.cursor;
  } while (cursor !== null);
  return all;
}

export function Queues() {
  const rows = usePoll(load, 3000, [], counting());
  const [filter, setFilter] = useState('');
  const [sort, setSort] = useState<{ id: string; desc: boolean }>({ id: 'name', desc: false });
  const [page, setPage] = useState(0);
  if (rows.error !== null) return html`<p class="error" role="alert">${rows.error}</p>`;
  if (rows.data === null) return html`<p class="muted">loading…</p>`;
  const column = COLUMNS.find((c) => c.id === sort.id) ?? COLUMNS[0];
  const needle = filter.trim().toLowerCase();
  const filtered = rows.data.value.filter((row) => row.data.queue.name.toLowerCase().includes(needle));
  const sorted =
    column === undefined
      ? filtered
      : [...filtered].sort((a, b) => {
          const x = column.key(a);
          const y = column.key(b);
          const order = typeof x === 'string' && typeof y === 'string' ? x.localeCompare(y) : Number(x) - Number(y);
          return sort.desc ? -order : order;
        });
  const pages = Math.max(1, Math.ceil(sorted.length / PAGE));
  const current = Math.min(page, pages - 1);
  const shown = sorted.slice(current * PAGE, current * PAGE + PAGE);
  const sortBy = (id: string): void => setSort((s) => ({ id, desc: s.id === id ? !s.desc : id !== 'name' }));
  return html`<section class="card">
    <div class="row spread">
      <h2>Queues <span class="muted">${count(filtered.length)}</span></h2>
      <input
        type="search"
        placeholder="filter by name"
        value=${filter}
        onInput=${(e: Event) => {
          setFilter((e.target as HTMLInputElement).value);
          setPage(0);
        }}
        data-testid="queue-filter"
      />
    </div>
    <div class="scroll">
      <table class="queues" data-testid="queues-table">
        <thead>
          <tr>
            ${COLUMNS.map(
              (c) =>
                html`<th
                  class=${`sortable ${c.id === sort.id ? (sort.desc ? 'desc' : 'asc') : ''}`}
                  onClick=${() => sortBy(c.id)}
                  data-testid=${`sort-${c.id}`}
                  aria-sort=${c.id === sort.id ? (sort.desc ? 'descending' : 'ascending') : 'none'}
                >
                  ${c.label}
                </th>`,
            )}
            <th>depth</th>
          </tr>
        </thead>
        <tbody>
          ${shown.map(
            ({ data, consumers }) =>
              html`<tr data-queue=${data.queue.name}>
                <td><a href=${href('queue', data.queue.name)}>${data.queue.name}</a></td>
                ${JOB_STATES.map((state) => html`<td class="num">${count(data.queue.counts[state])}</td>`)}
                <td>${data.queue.paused ? html`<span class="badge">paused</span>` : ''}</td>
                <td class="num">${consumers}</td>
                <td class="num">${data.oldestWaitingAgeMs === null ? '—' : duration(data.oldestWaitingAgeMs)}</td>
                <td class="num">${rate(data.rates.enqueued)}</td>
                <td class="num">${rate(data.rates.acked)}</td>
                <td class="num">${rate(data.rates.failed)}</td>
                <td class="num">${percent(failureRate(data.queue.totals))}</td>
                <td><${Sparkline} values=${data.depth} /></td>
              </tr>`,
          )}
        </tbody>
      </table>
    </div>
    <div class="row pager">
      <button disabled=${current === 0} onClick=${() => setPage(current - 1)}>‹ prev</button>
      <span data-testid="queue-page">page ${current + 1} of ${pages}</span>
      <button disabled=${current >= pages - 1} onClick=${() => setPage(current + 1)} data-testid="next-page">
        next ›
      </button>
    </div>
  </section>`;
}
