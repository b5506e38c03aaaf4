/**
 * The login form, shown while the server has auth on and the page has no valid session: the
 * token is posted once to `POST /v1/session` and then lives only in the HttpOnly cookie the
 * server sets (never in localStorage, never readable by a script).
 */
import { html } from 'htm/preact';
import { useState } from 'preact/hooks';
import { api, type Session } from '../api.ts';

export interface LoginProps {
  readonly onLogin: (session: Session) => void;
}

export function Login({ onLogin }: LoginProps) {
  const [token, setToken] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const submit = async (event: Event): Promise<void> => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const session = await api.login(token.trim());
      setToken('');
      onLogin(session);
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };
  return html`<main class="login">
    <form class="card" data-testid="login-form" onSubmit=${submit}>
      <h1>Docket</h1>
      <p class="muted">This server has authentication on: log in with an access token.</p>
      <label
        >Access token
        <input
          type="password"
          name="token"
          autocomplete="current-password"
          required
          value=${token}
          onInput=${(event: Event) => setToken((event.target as HTMLInputElement).value)}
          data-testid="login-token"
      /></label>
      <button type="submit" disabled=${busy || token.trim() === ''} data-testid="login-submit">Log in</button>
      ${error === null ? null : html`<p class="error" role="alert" data-testid="login-error">${error}</p>`}
    </form>
  </main>`;
}
