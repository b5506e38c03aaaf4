/** The settings the server put in the page's `<meta name="docket-settings">`. */
export interface Settings {
  readonly basePath: string;
  readonly readOnly: boolean;
}

export function readSettings(): Settings {
  const raw = document.querySelector('meta[name="docket-settings"]')?.getAttribute('content') ?? '{}';
  const parsed = JSON.parse(raw) as Partial<Settings>;
  return { basePath: parsed.basePath ?? '', readOnly: parsed.readOnly === true };
}

export const SETTINGS = readSettings();
