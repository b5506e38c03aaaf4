/** Overview: totals by state, the live throughput chart, rates, store status, version, uptime. */
import { html } from 'htm/preact';
import { useEffect, useState } from 'preact/hooks';
import { api } from '../api.ts';
import { bytes, count, duration, rate } from '../format.ts';
import { usePoll } from '../live.ts';
import { ThroughputChart } from '../parts/chart.ts';
import { JOB_STATES, type Rates, type ServerInfo, type Stats } from '../types.ts';

function RatesRow({ label, rates }: { label: string; rates: Rates }) {
  return html`<tr>
    <th>${label}</th>
    <td>${rate(rates.enqueued)}</td>
    <td>${rate(rates.leased)}</td>
    <td>${rate(rates.acked)}</td>
    <td>${rate(rates.failed)}</td>
  </tr>`;
}

function StoreCard({ server }: { server: ServerInfo }) {
  const { store } = server;
  return html`<section class="card" data-testid="store-status">
    <h2>Server</h2>
    <dl>
      <dt>version</dt>
      <dd data-testid="server-version">${server.version}</dd>
      <dt>uptime</dt>
      <dd>${duration(server.uptimeMs)}</dd>
      <dt>node</dt>
      <dd>${server.node}</dd>
      <dt>store</dt>
      <dd data-testid="store-kind">${store.kind}</dd>
      <dt>ready</dt>
      <dd class=${store.ready ? 'ok' : 'bad'}>${store.ready ? 'ready' : `not ready: ${store.reason ?? ''}`}</dd>
      ${store.files.map(
        (file) =>
          html`<dt>${file.name}</dt>
            <dd>${bytes(file.bytes)}</dd>`,
      )}
    </dl>
  </section>`;
}

export function Overview() {
  const [window, setWindow] = useState<'5m' | '1h'>('5m');
  const stats = usePoll<Stats>(() => api.stats(window), 2000, [window]);
  const server = usePoll<ServerInfo>(() => api.server(), 5000, []);
  const rendered = stats.data !== null;
  useEffect(() => {
    // Time to first render with data, read by bench/cases/dashboard.ts.
    if (rendered && performance.getEntriesByName('docket:overview-rendered').length === 0) {
      performance.mark('docket:overview-rendered');
    }
  }, [rendered]);
  if (stats.error !== null) return html`<p class="error" role="alert">${stats.error}</p>`;
  if (stats.data === null) return html`<p class="muted">loading…</p>`;
  const { counts, rates, series, queues } = stats.data;
  return html`<div class="overview">
    <section class="totals" data-testid="totals">
      <div class="total">
        <span class="label">queues</span><span class="value" data-testid="total-queues">${count(queues)}</span>
      </div>
      ${JOB_STATES.map(
        (state) =>
          html`<div class=${`total state-${state}`}>
            <span class="label">${state}</span>
            <span class="value" data-testid=${`total-${state}`}>${count(counts[state])}</span>
          </div>`,
      )}
    </section>
    <section class="card">
      <div class="row spread">
        <h2>Throughput</h2>
        <div class="tabs small">
          ${(['5m', '1h'] as const).map(
            (w) => html`<button class=${w === window ? 'active' : ''} onClick=${() => setWindow(w)}>${w}</button>`,
          )}
        </div>
      </div>
      <${ThroughputChart} series=${series} />
      <table class="rates">
        <thead>
          <tr>
            <th></th>
            <th>enqueue/s</th>
            <th>lease/s</th>
            <th>ack/s</th>
            <th>fail/s</th>
          </tr>
        </thead>
        <tbody>
          <${RatesRow} label="last 5 min" rates=${rates['5m']} />
          <${RatesRow} label="last hour" rates=${rates['1h']} />
        </tbody>
      </table>
    </section>
    ${server.data === null ? null : html`<${StoreCard} server=${server.data} />`}
  </div>`;
}
