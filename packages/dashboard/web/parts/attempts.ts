/**
 * A job's attempts as a table: the ended ones from `GET /v1/jobs/{id}/attempts` (failed, lease
 * expired, released), each with its error and an expandable stack, then the current one from the
 * job's own fields (running, or the attempt that completed the job, or the one a cancel or an
 * expiry ended).
 */
import { html } from 'htm/preact';
import { duration, time } from '../format.ts';
import type { Job, JobAttempt, JobAttempts } from '../types.ts';

function then(a: JobAttempt): string {
  if (a.next === 'dead') return 'dead';
  if (a.next === 'delayed') return `retry in ${duration(a.retryDelayMs ?? 0)}`;
  return 'back to waiting';
}

function Ended({ a }: { a: JobAttempt }) {
  return html`<tr data-testid="attempt" data-attempt=${a.attempt}>
    <td>${a.attempt}</td>
    <td><span class=${`badge outcome-${a.outcome}`}>${a.outcome}</span></td>
    <td>${a.worker ?? '—'}</td>
    <td>${time(a.leasedAt)}</td>
    <td>${a.leasedAt === null ? '—' : duration(a.endedAt - a.leasedAt)}</td>
    <td>${then(a)}</td>
    <td class="attempt-error">
      ${a.error === null ? html`<span class="muted">—</span>` : html`<strong data-testid="attempt-error">${a.error.message}</strong>`}
      ${
        a.error?.stack === undefined
          ? null
          : html`<details data-testid="attempt-stack">
              <summary>stack</summary>
              <pre class="stack">${a.error.stack}</pre>
            </details>`
      }
    </td>
  </tr>`;
}

/** The attempt the job's own fields describe, when there is one the history does not hold. */
function Current({ job, last }: { job: Job; last: JobAttempt | undefined }) {
  if (job.attemptStartedAt === null || job.attempts === 0) return null;
  if (last !== undefined && last.attempt === job.attempts && last.leasedAt === job.attemptStartedAt) return null;
  const status =
    job.state === 'active'
      ? 'running'
      : job.state === 'completed'
        ? 'succeeded'
        : job.state === 'dead'
          ? (job.deadReason ?? 'dead')
          : null;
  if (status === null) return null;
  const end = job.state === 'active' ? null : job.finishedAt;
  return html`<tr data-testid="attempt-current">
    <td>${job.attempts}</td>
    <td><span class=${`badge outcome-${status}`}>${status}</span></td>
    <td>${job.worker ?? '—'}</td>
    <td>${time(job.attemptStartedAt)}</td>
    <td>${end === null ? '—' : duration(end - job.attemptStartedAt)}</td>
    <td>${job.state === 'active' ? `lease until ${time(job.leaseExpiresAt)}` : job.state}</td>
    <td class="muted">—</td>
  </tr>`;
}

export function Attempts({ job, history }: { job: Job; history: JobAttempts }) {
  const last = history.attempts.at(-1);
  if (history.attempts.length === 0 && job.attemptStartedAt === null) {
    return html`<p class="muted" data-testid="no-attempts">not leased yet</p>`;
  }
  return html`<div class="scroll">
    ${history.dropped > 0 ? html`<p class="muted">${history.dropped} earlier attempts not kept (the latest ${history.attempts.length} are)</p>` : null}
    <table class="attempts" data-testid="attempts">
      <thead>
        <tr>
          <th>#</th>
          <th>outcome</th>
          <th>worker</th>
          <th>leased</th>
          <th>took</th>
          <th>then</th>
          <th>error</th>
        </tr>
      </thead>
      <tbody>
        ${history.attempts.map((a) => html`<${Ended} key=${`${a.attempt}-${a.endedAt}`} a=${a} />`)}
        <${Current} job=${job} last=${last} />
      </tbody>
    </table>
  </div>`;
}
