/**
 * The dashboard's entry point: the shell (session gate, navigation, live switch, theme, logout)
 * and the hash router.
 */
import { html, render } from 'htm/preact';
import { useEffect, useState } from 'preact/hooks';
import { LiveContext, initialLive, storeLive } from './live.ts';
import { JobDetail } from './pages/job-detail.ts';
import { Login } from './pages/login.ts';
import { Overview } from './pages/overview.ts';
import { QueueDetail } from './pages/queue-detail.ts';
import { Queues } from './pages/queues.ts';
import { Workers } from './pages/workers.ts';
import { href, useRoute } from './router.ts';
import { useSession } from './session.ts';
import { SETTINGS } from './settings.ts';
import { JOB_STATES, type JobState } from './types.ts';
import './style.css';

type Theme = 'light' | 'dark';

function initialTheme(): Theme {
  const stored = localStorage.getItem('docket.theme');
  if (stored === 'light' || stored === 'dark') return stored;
  return matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
}

function Page() {
  const route = useRoute();
  switch (route.page) {
    case 'queues':
      return html`<${Queues} />`;
    case 'queue': {
      const state = route.query.get('state');
      const valid = (JOB_STATES as readonly string[]).includes(state ?? '') ? (state as JobState) : 'waiting';
      return html`<${QueueDetail} key=${route.param} name=${route.param} state=${valid} />`;
    }
    case 'job':
      return html`<${JobDetail} key=${route.param} id=${route.param} />`;
    case 'workers':
      return html`<${Workers} />`;
    default:
      return html`<${Overview} />`;
  }
}

function App() {
  const [live, setLive] = useState(initialLive);
  const [theme, setTheme] = useState<Theme>(initialTheme);
  const route = useRoute();
  const { gate, loggedIn, logout } = useSession();
  useEffect(() => {
    document.documentElement.dataset['theme'] = theme;
    localStorage.setItem('docket.theme', theme);
  }, [theme]);
  if (gate.state === 'checking') return null;
  if (gate.state === 'login') return html`<${Login} onLogin=${loggedIn} />`;
  const token = gate.session?.token ?? null;
  const nav = (page: 'overview' | 'queues' | 'workers', label: string) =>
    html`<a
      class=${route.page === page || (page === 'queues' && route.page === 'queue') ? 'active' : ''}
      href=${href(page)}
      >${label}</a
    >`;
  return html`<${LiveContext.Provider} value=${live}>
    <header class="top">
      <a class="brand" href=${href('overview')}>Docket</a>
      <nav>${nav('overview', 'Overview')}${nav('queues', 'Queues')}${nav('workers', 'Workers')}</nav>
      <div class="row">
        ${SETTINGS.readOnly ? html`<span class="badge" data-testid="read-only">read-only</span>` : null}
        <label class="toggle"
          ><input
            type="checkbox"
            checked=${live}
            onChange=${() => {
              storeLive(!live);
              setLive(!live);
            }}
            data-testid="live-toggle"
          />
          live</label
        >
        <button
          class="ghost"
          onClick=${() => setTheme(theme === 'dark' ? 'light' : 'dark')}
          data-testid="theme-toggle"
          aria-label="toggle dark mode"
        >
          ${theme === 'dark' ? '☀' : '☾'}
        </button>
        ${
          token === null
            ? null
            : html`<span class="muted" data-testid="session-name">${token.name}</span>
                <button class="ghost" onClick=${() => void logout()} data-testid="logout">Log out</button>`
        }
      </div>
    </header>
    <main><${Page} /></main>
  <//>`;
}

const root = document.getElementById('app');
if (root !== null) {
  performance.mark('docket:start');
  render(html`<${App} />`, root);
}
