/** A tiny inline SVG line of a queue's depth samples (cheaper than a chart per table row). */
import { html } from 'htm/preact';

export function Sparkline({ values }: { values: readonly number[] }) {
  if (values.length < 2) return html`<svg class="spark" width="80" height="18" aria-hidden="true"></svg>`;
  const max = Math.max(1, ...values);
  const step = 80 / (values.length - 1);
  const points = values.map((v, i) => `${(i * step).toFixed(1)},${(17 - (v / max) * 16).toFixed(1)}`).join(' ');
  return html`<svg class="spark" width="80" height="18" viewBox="0 0 80 18" aria-label="depth history">
    <polyline points=${points} fill="none" stroke="currentColor" stroke-width="1.5" />
  </svg>`;
}
