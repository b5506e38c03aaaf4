/**
 * Job detail: payload pretty and raw (bytes as base64 with their size), options and meta, the
 * attempt history (each ended attempt with its error and stack, parts/attempts.ts) and the last
 * error, the result, the lease holder and expiry, and the
 * actions that apply to the job's state (cancel, delete).
 */
import { html } from 'htm/preact';
import { useState } from 'preact/hooks';
import { api } from '../api.ts';
import { bytes, duration, time } from '../format.ts';
import { usePoll } from '../live.ts';
import { Attempts } from '../parts/attempts.ts';
import { Action } from '../parts/confirm.ts';
import { href } from '../router.ts';
import type { Job } from '../types.ts';

function base64Size(text: string): number {
  const padding = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0;
  return Math.floor((text.length * 3) / 4) - padding;
}

function Payload({ job }: { job: Job }) {
  const [raw, setRaw] = useState(false);
  if (job.encoding === 'bytes') {
    const text = String(job.data);
    return html`<div>
      <p class="muted">bytes, ${bytes(base64Size(text))} (base64)</p>
      <pre data-testid="payload">${text}</pre>
    </div>`;
  }
  return html`<div>
    <div class="tabs small">
      <button class=${raw ? '' : 'active'} onClick=${() => setRaw(false)}>pretty</button>
      <button class=${raw ? 'active' : ''} onClick=${() => setRaw(true)} data-testid="payload-raw">raw</button>
    </div>
    <pre data-testid="payload">${raw ? JSON.stringify(job.data) : JSON.stringify(job.data, null, 2)}</pre>
  </div>`;
}

export function JobDetail({ id }: { id: string }) {
  const job = usePoll(() => Promise.all([api.job(id), api.attempts(id)]), 3000, [id]);
  const [deleted, setDeleted] = useState(false);
  if (deleted) return html`<p>job ${id} deleted. <a href=${href('queues')}>back to queues</a></p>`;
  if (job.error !== null) return html`<p class="error" role="alert">${job.error}</p>`;
  if (job.data === null) return html`<p class="muted">loading…</p>`;
  const [j, history] = job.data;
  const options = {
    priority: j.priority,
    maxAttempts: j.maxAttempts,
    leaseMs: j.leaseMs,
    timeoutMs: j.timeoutMs,
    expiresAt: j.expiresAt,
    dedupKey: j.dedupKey,
    backoff: j.backoff,
    meta: j.meta,
  };
  const cancellable = j.state === 'waiting' || j.state === 'delayed' || j.state === 'active';
  return html`<div class="job-detail">
    <section class="card">
      <div class="row spread">
        <h2>
          <a href=${href('queue', j.queue, { state: j.state })}>${j.queue}</a> /
          <span data-testid="job-id">${j.id}</span>
        </h2>
        <div class="row actions">
          ${
            j.state === 'dead'
              ? html`<${Action} label="Retry" run=${() => api.retry(id)} done=${job.reload} testid="retry" />`
              : null
          }
          ${
            j.state === 'delayed'
              ? html`<${Action} label="Promote now" run=${() => api.promote(id)} done=${job.reload} testid="promote" />`
              : null
          }
          ${cancellable ? html`<${Action} label="Cancel" confirm="Cancel this job? It becomes dead (cancelled)." run=${() => api.cancel(id)} done=${job.reload} testid="cancel" />` : null}
          <${Action}
            label="Delete"
            danger=${true}
            confirm="Delete this job? This cannot be undone."
            run=${() => api.deleteJob(id)}
            done=${() => setDeleted(true)}
            testid="delete"
          />
        </div>
      </div>
      <dl class="facts">
        <dt>state</dt>
        <dd>
          <span class=${`badge state-${j.state}`} data-testid="job-state">${j.state}</span
          >${j.deadReason === null ? '' : ` (${j.deadReason})`}
        </dd>
        <dt>name</dt>
        <dd>${j.name ?? '—'}</dd>
        <dt>created</dt>
        <dd>${time(j.createdAt)}</dd>
        <dt>runs at</dt>
        <dd>${time(j.runAt)}</dd>
        <dt>attempts</dt>
        <dd>${j.attempts} of ${j.maxAttempts}${j.nacks > 0 ? `, ${j.nacks} given back` : ''}</dd>
        <dt>started</dt>
        <dd>${time(j.startedAt)}</dd>
        <dt>finished</dt>
        <dd>${time(j.finishedAt)}</dd>
        <dt>lease holder</dt>
        <dd data-testid="lease-holder">${j.worker ?? '—'}</dd>
        <dt>lease expires</dt>
        <dd>
          ${j.leaseExpiresAt === null ? '—' : `${time(j.leaseExpiresAt)} (in ${duration(Math.max(0, j.leaseExpiresAt - Date.now()))})`}
        </dd>
      </dl>
    </section>
    <section class="card">
      <h3>Payload</h3>
      <${Payload} job=${j} />
    </section>
    <section class="card">
      <h3>Last error</h3>
      ${
        j.error === null
          ? html`<p class="muted">none</p>`
          : html`<p data-testid="job-error">
                attempt ${j.error.attempt} at ${time(j.error.at)}: <strong>${j.error.message}</strong>
              </p>
              ${j.error.stack === undefined ? null : html`<pre class="stack">${j.error.stack}</pre>`}`
      }
    </section>
    <section class="card">
      <h3>Attempts</h3>
      <${Attempts} job=${j} history=${history} />
    </section>
    <section class="card">
      <h3>Result</h3>
      <pre data-testid="job-result">${JSON.stringify(j.result, null, 2)}</pre>
    </section>
    <section class="card">
      <h3>Options</h3>
      <pre>${JSON.stringify(options, null, 2)}</pre>
    </section>
  </div>`;
}
