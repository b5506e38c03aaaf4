/**
 * The dashboard's one HTML page. Asset URLs are relative, so the page works at any prefix a
 * reverse proxy puts in front of `--ui-base-path`; the settings the app needs at start
 * (read-only, base path) travel in a JSON `<meta>` tag, not an inline script.
 */
import type { Bundle } from './bundle.ts';

export interface PageSettings {
  /** The path the dashboard is served under on this server, '' for the root. */
  readonly basePath: string;
  readonly readOnly: boolean;
}

function attribute(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function indexHtml(bundle: Bundle, settings: PageSettings): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<meta name="docket-settings" content="${attribute(JSON.stringify(settings))}">
<title>Docket</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="assets/${bundle.style.name}">
<script type="module" src="assets/${bundle.script.name}"></script>
</head>
<body><div id="app"></div></body>
</html>
`;
}
