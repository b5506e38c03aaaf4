/**
 * The dashboard's login in a real chromium against a real `docket serve` with auth on (SQLite):
 * the login form, a wrong token's error, the right token's overview with the counts /v1 reports,
 * the cookies' flags (read from the browser context), an action that passes the CSRF check, a
 * crafted fetch without (or with a wrong) CSRF header refused with nothing changed, logout, and a
 * token revoked while the page is open sending it back to the login form. At the end, the
 * server's own log (at info, every request logged) holds no token.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeDataDir, removeDataDir, startServer, type ServerProcess } from '../../../test/support/server-process.ts';
import { launchBrowser, openPage, type WatchedPage } from './support/browser.ts';

const ADMIN_TOKEN = 'dashboard-admin-token-0123456789abcdef';

let browser: Browser;
let server: ServerProcess;
let dir: string;
const secrets: string[] = [ADMIN_TOKEN];

/** A /v1 call with the admin token, as an operator's script would make it. */
async function admin<T = unknown>(method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(`${server.url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${ADMIN_TOKEN}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text}`);
  return (text === '' ? null : JSON.parse(text)) as T;
}

async function mint(name: string): Promise<{ id: string; secret: string }> {
  const made = await admin<{ token: { id: string }; secret: string }>('POST', '/v1/tokens', {
    name,
    grants: ['read:*', 'produce:*', 'admin:*'],
  });
  secrets.push(made.secret);
  return { id: made.token.id, secret: made.secret };
}

/** Console errors but the browser's own lines for the 401s and 403s these tests expect. */
function unexpected(problems: readonly string[]): string[] {
  return problems.filter((line) => !/Failed to load resource: the server responded with a status of 40[13]/.test(line));
}

/** Whether the page's event stream of `mail` opens (`open`) or is refused (`error`). */
function eventStream(page: Page): Promise<string> {
  return page.evaluate(`new Promise((resolve) => {
    const source = new EventSource('/v1/queues/mail/events');
    source.onopen = () => { source.close(); resolve('open'); };
    source.onerror = () => { source.close(); resolve('error'); };
  })`);
}

async function logIn(page: Page, token: string): Promise<void> {
  await page.getByTestId('login-token').fill(token);
  await page.getByTestId('login-submit').click();
}

async function loggedIn(path = '/'): Promise<WatchedPage & { token: { id: string; secret: string } }> {
  const token = await mint(`ui-${secrets.length}`);
  const watched = await openPage(browser, `${server.url}${path}`);
  await logIn(watched.page, token.secret);
  await watched.page.getByTestId('logout').waitFor();
  return { ...watched, token };
}

interface Counts {
  waiting: number;
  delayed: number;
  active: number;
  completed: number;
  dead: number;
}

beforeAll(async () => {
  dir = await makeDataDir('docket-ui-auth-');
  [browser, server] = await Promise.all([
    launchBrowser(),
    startServer({ dataDir: dir, args: ['--log-level', 'info'], env: { DOCKET_ADMIN_TOKEN: ADMIN_TOKEN } }),
  ]);
  await admin('POST', '/v1/queues/mail/jobs', { jobs: [{ data: 1 }, { data: 2 }, { data: 3 }] });
  await admin('POST', '/v1/queues/bills/jobs', { data: { later: true }, delayMs: 3_600_000 });
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await removeDataDir(dir);
});

describe('dashboard login with auth on', () => {
  it('shows the login form, and a wrong token shows the error and sets no cookie', async () => {
    const { page, problems } = await openPage(browser, `${server.url}/`);
    await page.getByTestId('login-form').waitFor();
    expect(await page.getByTestId('total-waiting').count()).toBe(0);
    await logIn(page, `dkt_${'0'.repeat(20)}_${'A'.repeat(43)}`);
    await page.getByTestId('login-error').filter({ hasText: 'unknown or revoked' }).waitFor();
    await logIn(page, 'not a token');
    await page.getByTestId('login-error').filter({ hasText: 'expected Bearer' }).waitFor();
    expect(await page.context().cookies()).toEqual([]);
    expect(unexpected(problems)).toEqual([]);
    await page.close();
  });

  it('the right token loads the overview with the counts /v1 reports, in HttpOnly SameSite=Strict cookies', async () => {
    const { page, problems, token } = await loggedIn('/');
    const { stats } = await admin<{ stats: { counts: Counts; queues: number } }>('GET', '/v1/stats');
    expect(stats.counts).toMatchObject({ waiting: 3, delayed: 1 });
    for (const state of ['waiting', 'delayed', 'active', 'completed', 'dead'] as const) {
      expect(await page.getByTestId(`total-${state}`).textContent()).toBe(String(stats.counts[state]));
    }
    expect(await page.getByTestId('total-queues').textContent()).toBe('2');
    expect(await page.getByTestId('session-name').textContent()).toBe(`ui-${secrets.length - 1}`);
    const cookies = await page.context().cookies();
    const session = cookies.find((cookie) => cookie.name === 'docket_session');
    const csrf = cookies.find((cookie) => cookie.name === 'docket_csrf');
    expect(session).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/', secure: false });
    expect(decodeURIComponent(session?.value ?? '')).toBe(token.secret);
    expect(csrf).toMatchObject({ httpOnly: false, sameSite: 'Strict', path: '/' });
    expect(await page.evaluate('document.cookie')).not.toContain('docket_session');
    expect(await page.evaluate('JSON.stringify(localStorage)')).not.toContain(token.secret);
    expect(unexpected(problems)).toEqual([]);
    await page.close();
  });

  it('an action from the page passes the CSRF check', async () => {
    const { page, problems } = await loggedIn('/#/queues/mail');
    await page.getByTestId('pause').click();
    await page.getByTestId('paused-badge').waitFor();
    expect((await admin<{ queue: { paused: boolean } }>('GET', '/v1/queues/mail')).queue.paused).toBe(true);
    await page.getByTestId('resume').click();
    await expect
      .poll(async () => (await admin<{ queue: { paused: boolean } }>('GET', '/v1/queues/mail')).queue.paused)
      .toBe(false);
    expect(unexpected(problems)).toEqual([]);
    await page.close();
  });

  it('a crafted fetch with the cookie but without the CSRF header is refused and changes nothing', async () => {
    const { page, problems } = await loggedIn('/');
    const answers = await page.evaluate(async () => {
      const purge = async (headers: Record<string, string>) => {
        const response = await fetch('/v1/queues/mail/purge', {
          method: 'POST',
          credentials: 'same-origin',
          headers: { 'content-type': 'application/json', ...headers },
          body: '{}',
        });
        const body = (await response.json()) as { error: { code: string; details: { reason: string } } };
        return { status: response.status, code: body.error.code, reason: body.error.details.reason };
      };
      return [await purge({}), await purge({ 'x-docket-csrf': 'guessed' })];
    });
    expect(answers).toEqual([
      { status: 403, code: 'CSRF_FAILED', reason: 'missing' },
      { status: 403, code: 'CSRF_FAILED', reason: 'mismatch' },
    ]);
    expect((await admin<{ queue: { counts: Counts } }>('GET', '/v1/queues/mail')).queue.counts.waiting).toBe(3);
    expect(unexpected(problems)).toEqual([]);
    await page.close();
  });

  it('the cookie opens the event stream; logout returns to the login form, clears the cookies, and the stream and API refuse', async () => {
    const { page, problems, token } = await loggedIn('/');
    await page.getByTestId('total-waiting').waitFor();
    expect(await eventStream(page)).toBe('open');
    await page.getByTestId('logout').click();
    await page.getByTestId('login-form').waitFor();
    expect(await page.context().cookies()).toEqual([]);
    expect(await eventStream(page)).toBe('error');
    const status = await page.evaluate(async () => (await fetch('/v1/stats')).status);
    expect(status).toBe(401);
    await logIn(page, token.secret);
    await page.getByTestId('total-waiting').waitFor();
    expect(unexpected(problems)).toEqual([]);
    await page.close();
  });

  it('a token revoked while the page is open sends it back to the login form', async () => {
    const { page, problems, token } = await loggedIn('/');
    await page.getByTestId('total-waiting').waitFor();
    await admin('DELETE', `/v1/tokens/${token.id}`);
    await page.getByTestId('login-form').waitFor({ timeout: 10_000 });
    expect(unexpected(problems)).toEqual([]);
    await page.close();
  });

  it('the server log, every request at info, holds no token', () => {
    const log = server.output();
    expect(log).toContain('request completed');
    expect(log).toContain('/v1/session');
    for (const secret of secrets) expect(log).not.toContain(secret);
  });
});
