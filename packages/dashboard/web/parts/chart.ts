/** The throughput chart: uPlot over the `/v1/stats` series, redrawn in place on each refresh. */
import { html } from 'htm/preact';
import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { Stats } from '../types.ts';

const SERIES = [
  { key: 'enqueued', label: 'enqueue/s', stroke: '#3b82f6' },
  { key: 'leased', label: 'lease/s', stroke: '#a855f7' },
  { key: 'acked', label: 'ack/s', stroke: '#22c55e' },
  { key: 'failed', label: 'fail/s', stroke: '#ef4444' },
] as const;

function columns(series: Stats['series']): uPlot.AlignedData {
  const points = series.points;
  return [points.map((p) => p.t / 1000), ...SERIES.map((s) => points.map((p) => p[s.key]))] as uPlot.AlignedData;
}

export function ThroughputChart({ series }: { series: Stats['series'] }) {
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  useEffect(() => {
    const element = box.current;
    if (element === null) return undefined;
    const width = (): number => Math.max(280, element.clientWidth);
    plot.current = new uPlot(
      {
        width: width(),
        height: 220,
        series: [{}, ...SERIES.map((s) => ({ label: s.label, stroke: s.stroke, width: 2 }))],
        axes: [{ stroke: 'currentColor' }, { stroke: 'currentColor', size: 50 }],
        scales: { y: { range: (_u, _min, max) => [0, Math.max(1, max)] } },
      },
      columns(series),
      element,
    );
    const resize = (): void => plot.current?.setSize({ width: width(), height: 220 });
    addEventListener('resize', resize);
    return () => {
      removeEventListener('resize', resize);
      plot.current?.destroy();
      plot.current = null;
    };
  }, []);
  useEffect(() => {
    plot.current?.setData(columns(series));
  }, [series]);
  return html`<div class="chart" ref=${box} data-testid="throughput-chart"></div>`;
}
