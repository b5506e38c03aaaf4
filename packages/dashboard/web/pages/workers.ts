/** Workers: the registry of consumers that identified themselves, with last seen and active count. */
import { html } from 'htm/preact';
import { count, duration, time } from '../format.ts';
import { usePoll } from '../live.ts';
import { allWorkers } from './queues.ts';

export function Workers() {
  const workers = usePoll(allWorkers, 5000, []);
  if (workers.error !== null) return html`<p class="error" role="alert">${workers.error}</p>`;
  if (workers.data === null) return html`<p class="muted">loading…</p>`;
  const now = Date.now();
  return html`<section class="card">
    <h2>Workers <span class="muted">${count(workers.data.length)}</span></h2>
    ${
      workers.data.length === 0
        ? html`<p class="muted">no worker has identified itself (SDK workers send heartbeats)</p>`
        : html`<div class="scroll">
            <table data-testid="workers-table">
              <thead>
                <tr>
                  <th>id</th>
                  <th>queues</th>
                  <th>last seen</th>
                  <th>active</th>
                  <th>processed</th>
                  <th>failed</th>
                  <th>started</th>
                </tr>
              </thead>
              <tbody>
                ${workers.data.map(
                  (w) =>
                    html`<tr>
                      <td>${w.id}</td>
                      <td>${w.queues.join(', ')}</td>
                      <td>${duration(Math.max(0, now - w.lastSeenAt))} ago</td>
                      <td class="num">${w.active}</td>
                      <td class="num">${count(w.processed)}</td>
                      <td class="num">${count(w.failed)}</td>
                      <td>${time(w.startedAt)}</td>
                    </tr>`,
                )}
              </tbody>
            </table>
          </div>`
    }
  </section>`;
}
