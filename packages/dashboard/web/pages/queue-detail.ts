/**
 * Queue detail: counts and config, actions (pause/resume, purge, redrive, enqueue a test job),
 * tabs by state with a cursor-paginated job list (peek: nothing is leased), and the dead jobs
 * grouped by error. While live, the server's activity stream (SSE, one frame a second naming the
 * queues with job events) refreshes the view at most once a second, whatever the job rate.
 */
import { html } from 'htm/preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { api } from '../api.ts';
import { count, time } from '../format.ts';
import { counting, useLive, usePoll } from '../live.ts';
import { Action } from '../parts/confirm.ts';
import { href } from '../router.ts';
import { JOB_STATES, type Job, type JobState } from '../types.ts';
import { DeadGroups } from './dead-groups.ts';

const PAGE = 25;

function EnqueueForm({ queue, done }: { queue: string; done: () => void }) {
  const [text, setText] = useState('{"test": true}');
  const [delay, setDelay] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [created, setCreated] = useState<string | null>(null);
  const submit = async (e: Event): Promise<void> => {
    e.preventDefault();
    setError(null);
    try {
      const data: unknown = JSON.parse(text);
      const delayMs = delay.trim() === '' ? undefined : Number(delay);
      const job = await api.enqueue(queue, data, delayMs === undefined ? {} : { delayMs });
      setCreated(job.id);
      done();
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    }
  };
  return html`<form class="enqueue" onSubmit=${submit}>
    <label
      >test job data (JSON)<textarea
        rows="3"
        value=${text}
        onInput=${(e: Event) => setText((e.target as HTMLTextAreaElement).value)}
        data-testid="enqueue-data"
      ></textarea>
    </label>
    <label
      >delay ms<input
        inputmode="numeric"
        value=${delay}
        onInput=${(e: Event) => setDelay((e.target as HTMLInputElement).value)}
    /></label>
    <button type="submit" data-testid="enqueue-submit">Enqueue test job</button>
    ${created === null ? null : html`<a href=${href('job', created)}>${created}</a>`}
    ${error === null ? null : html`<span class="error" role="alert">${error}</span>`}
  </form>`;
}

function JobTable({ jobs }: { jobs: readonly Job[] }) {
  if (jobs.length === 0) return html`<p class="muted" data-testid="no-jobs">no jobs in this state</p>`;
  return html`<div class="scroll">
    <table class="jobs" data-testid="jobs-table">
      <thead>
        <tr>
          <th>id</th>
          <th>state</th>
          <th>created</th>
          <th>attempts</th>
          <th>last error</th>
        </tr>
      </thead>
      <tbody>
        ${jobs.map(
          (job) =>
            html`<tr data-job=${job.id}>
              <td><a href=${href('job', job.id)}>${job.id}</a></td>
              <td><span class=${`badge state-${job.state}`}>${job.state}</span></td>
              <td>${time(job.createdAt)}</td>
              <td class="num">${job.attempts}/${job.maxAttempts}</td>
              <td class="error-cell">${job.error?.message ?? ''}</td>
            </tr>`,
        )}
      </tbody>
    </table>
  </div>`;
}

export function QueueDetail({ name, state }: { name: string; state: JobState }) {
  const live = useLive();
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const [grouped, setGrouped] = useState(false);
  const cursor = cursors[cursors.length - 1] ?? null;
  const queue = usePoll(() => api.queue(name), 5000, [name], counting());
  const jobs = usePoll(() => api.jobs(name, state, PAGE, cursor), 5000, [name, state, cursor]);
  const reloads = useRef({ queue, jobs });
  reloads.current = { queue, jobs };
  useEffect(() => setCursors([null]), [name, state]);
  useEffect(() => {
    if (!live) return undefined;
    return api.activity((queues) => {
      if (!queues.includes(name)) return;
      reloads.current.queue.refresh();
      reloads.current.jobs.refresh();
    });
  }, [name, live]);
  const refresh = (): void => {
    queue.reload();
    jobs.reload();
  };
  if (queue.error !== null) return html`<p class="error" role="alert">${queue.error}</p>`;
  const info = queue.data?.value ?? null;
  return html`<div class="queue-detail">
    <section class="card">
      <div class="row spread">
        <h2>
          <a href=${href('queues')}>queues</a> /
          <span data-testid="queue-name">${name}</span>
          ${info?.paused === true ? html` <span class="badge" data-testid="paused-badge">paused</span>` : null}
        </h2>
        <div class="row actions">
          ${
            info === null
              ? null
              : info.paused
                ? html`<${Action} label="Resume" run=${() => api.resume(name)} done=${refresh} testid="resume" />`
                : html`<${Action} label="Pause" run=${() => api.pause(name)} done=${refresh} testid="pause" />`
          }
          <${Action}
            label="Redrive all dead"
            confirm=${`Move every dead job of ${name} back to waiting?`}
            run=${() => api.redrive(name)}
            done=${refresh}
            testid="redrive-all"
          />
          <${Action}
            label="Purge"
            danger=${true}
            confirm=${`Delete every job of ${name}? This cannot be undone.`}
            run=${() => api.purge(name)}
            done=${refresh}
            testid="purge"
          />
        </div>
      </div>
      ${
        info === null
          ? null
          : html`<details>
              <summary>config</summary>
              <pre data-testid="queue-config">${JSON.stringify(info.config, null, 2)}</pre>
            </details>`
      }
      <${EnqueueForm} queue=${name} done=${refresh} />
    </section>
    <section class="card">
      <nav class="tabs" data-testid="state-tabs">
        ${JOB_STATES.map(
          (s) =>
            html`<a
              class=${s === state ? 'active' : ''}
              href=${href('queue', name, { state: s })}
              data-testid=${`tab-${s}`}
            >
              ${s} <span class="count" data-testid=${`count-${s}`}>${info === null ? '' : count(info.counts[s])}</span>
            </a>`,
        )}
      </nav>
      ${
        state === 'dead'
          ? html`<label class="toggle"
              ><input
                type="checkbox"
                checked=${grouped}
                onChange=${() => setGrouped(!grouped)}
                data-testid="group-by-error"
              />
              group by error</label
            >`
          : null
      }
      ${
        state === 'dead' && grouped
          ? html`<${DeadGroups} queue=${name} done=${refresh} />`
          : jobs.data === null
            ? html`<p class="muted">loading…</p>`
            : html`<${JobTable} jobs=${jobs.data.items} />
                <div class="row pager">
                  <button disabled=${cursors.length === 1} onClick=${() => setCursors(cursors.slice(0, -1))}>
                    ‹ prev
                  </button>
                  <span>page ${cursors.length}</span>
                  <button
                    disabled=${jobs.data.cursor === null}
                    onClick=${() => setCursors([...cursors, jobs.data?.cursor ?? null])}
                    data-testid="jobs-next"
                  >
                    next ›
                  </button>
                </div>`
      }
    </section>
  </div>`;
}
