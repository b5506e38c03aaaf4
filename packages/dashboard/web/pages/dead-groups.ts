/**
 * Dead jobs grouped by dead reason and error message (the first 1 000 dead jobs of the queue),
 * with a bulk delete of a group's jobs and a redrive of every dead job of the group's reason
 * (the API redrives by reason, not by message).
 */
import { html } from 'htm/preact';
import { api } from '../api.ts';
import { count } from '../format.ts';
import { usePoll } from '../live.ts';
import { Action } from '../parts/confirm.ts';
import type { Job } from '../types.ts';

interface Group {
  readonly reason: string;
  readonly message: string;
  readonly ids: string[];
}

function groupsOf(jobs: readonly Job[]): Group[] {
  const groups = new Map<string, Group>();
  for (const job of jobs) {
    const reason = job.deadReason ?? 'unknown';
    const message = job.error?.message ?? '(no error)';
    const key = `${reason}\u0000${message}`;
    const group = groups.get(key) ?? { reason, message, ids: [] };
    group.ids.push(job.id);
    groups.set(key, group);
  }
  return [...groups.values()].sort((a, b) => b.ids.length - a.ids.length);
}

async function deleteAll(ids: readonly string[]): Promise<void> {
  for (const id of ids) await api.deleteJob(id);
}

export function DeadGroups({ queue, done }: { queue: string; done: () => void }) {
  const dead = usePoll(() => api.jobs(queue, 'dead', 1000, null), 10_000, [queue]);
  if (dead.error !== null) return html`<p class="error" role="alert">${dead.error}</p>`;
  if (dead.data === null) return html`<p class="muted">loading…</p>`;
  const groups = groupsOf(dead.data.items);
  if (groups.length === 0) return html`<p class="muted">no dead jobs</p>`;
  const after = (): void => {
    dead.reload();
    done();
  };
  return html`<table class="groups" data-testid="dead-groups">
    <thead>
      <tr>
        <th>jobs</th>
        <th>reason</th>
        <th>error</th>
        <th></th>
      </tr>
    </thead>
    <tbody>
      ${groups.map(
        (g) =>
          html`<tr>
            <td class="num">${count(g.ids.length)}</td>
            <td>${g.reason}</td>
            <td class="error-cell">${g.message}</td>
            <td class="row">
              <${Action}
                label=${`Redrive all ${g.reason}`}
                confirm=${`Move every dead job of ${queue} with reason ${g.reason} back to waiting?`}
                run=${() => api.redrive(queue, g.reason)}
                done=${after}
              />
              <${Action}
                label="Delete group"
                danger=${true}
                confirm=${`Delete these ${g.ids.length} dead jobs?`}
                run=${() => deleteAll(g.ids)}
                done=${after}
              />
            </td>
          </tr>`,
      )}
    </tbody>
  </table>`;
}
