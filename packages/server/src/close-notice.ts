/**
 * A one-shot "the server is closing" notice that any number of long-lived requests wait on.
 *
 * Why not a shared AbortSignal: each waiter would add an 'abort' listener to the one signal, so
 * a thousand long-polls pile a thousand listeners on it (Node warns past ten) and any listener a
 * path forgets to remove stays for the life of the server. Here a waiter's listener lives in a
 * Set only until the waiter detaches it, and firing empties the Set.
 *
 * Invariants: fires at most once; a listener runs at most once; `on` after the fire runs the
 * listener at once; detaching is idempotent.
 */
export class CloseNotice {
  readonly #listeners = new Set<() => void>();
  #fired = false;

  get fired(): boolean {
    return this.#fired;
  }

  /** Listeners attached and not yet detached nor run. */
  get listenerCount(): number {
    return this.#listeners.size;
  }

  /** Runs `listener` once when the notice fires; returns the function that detaches it. */
  on(listener: () => void): () => void {
    if (this.#fired) {
      listener();
      return () => undefined;
    }
    this.#listeners.add(listener);
    return () => {
      this.#listeners.delete(listener);
    };
  }

  fire(): void {
    if (this.#fired) return;
    this.#fired = true;
    const listeners = [...this.#listeners];
    this.#listeners.clear();
    for (const listener of listeners) listener();
  }
}
