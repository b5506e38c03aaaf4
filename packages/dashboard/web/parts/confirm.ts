/**
 * Actions: a button that runs one API call, asks first (a modal `<dialog>`) when the action is
 * destructive, and reports the outcome. Hidden entirely in read-only mode.
 */
import { html } from 'htm/preact';
import { useRef, useState } from 'preact/hooks';
import { SETTINGS } from '../settings.ts';

export interface ActionProps {
  readonly label: string;
  /** When set, a dialog shows this question and the action runs only on "confirm". */
  readonly confirm?: string;
  readonly danger?: boolean;
  readonly run: () => Promise<unknown>;
  readonly done?: (outcome: unknown) => void;
  readonly testid?: string;
}

export function Action(props: ActionProps) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  if (SETTINGS.readOnly) return null;
  const run = async (): Promise<void> => {
    setBusy(true);
    setError(null);
    try {
      props.done?.(await props.run());
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };
  const click = (): void => {
    if (props.confirm === undefined) void run();
    else dialog.current?.showModal();
  };
  return html`<span class="action">
    <button
      class=${props.danger === true ? 'danger' : ''}
      disabled=${busy}
      onClick=${click}
      data-testid=${props.testid}
    >
      ${props.label}
    </button>
    ${error === null ? null : html`<span class="error" role="alert">${error}</span>`}
    ${
      props.confirm === undefined
        ? null
        : html`<dialog ref=${dialog} data-testid="confirm-dialog">
            <p>${props.confirm}</p>
            <div class="row">
              <button onClick=${() => dialog.current?.close()} data-testid="confirm-cancel">Cancel</button>
              <button
                class="danger"
                onClick=${() => {
                  dialog.current?.close();
                  void run();
                }}
                data-testid="confirm-ok"
              >
                ${props.label}
              </button>
            </div>
          </dialog>`
    }
  </span>`;
}
