/**
 * Images missing alt text at the end of each day, a line per locale, drawn by uPlot (canvas;
 * docs/decisions/report.md). The canvas is an image to assistive technology, named by what it
 * shows; the table beside it holds every figure. Below it, a slider over the days: ← and → step
 * through them, moving the chart's cursor, and the day's figures are its value (read out by
 * screen readers, shown on screen); Home and End go to the first and last day.
 */
import { useSignal } from '@preact/signals';
import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { dayRange } from './chart-range.ts';
import type { MissingDay } from './progress.ts';
import { formatCount } from '../components/format.ts';

export interface ChartLine {
  /** Journal locale key ('' for the primary). */
  key: string;
  label: string;
}

const LINE_COLORS = ['#8b97ff', '#f5c451', '#5fd68a', '#ff6b6b', '#d9d9d9', '#4fc3f7'];

function seconds(day: string): number {
  return Date.parse(`${day}T12:00:00Z`) / 1000;
}

export function describeDay(day: MissingDay, lines: readonly ChartLine[]): string {
  return `${day.day}: ${lines.map((line) => `${line.label} ${formatCount(day.missing.get(line.key) ?? 0)} missing`).join(', ')}`;
}

const CHART_HEIGHT = 180;

/**
 * The chart's width in its box: as wide as the box (the panel's width less its padding), 160 to
 * 640 px. Webflow's narrowest panel (240 px) leaves a box of 216: a wider chart scrolled the view.
 */
function chartWidth(box: HTMLElement): number {
  return Math.max(160, Math.min(640, box.clientWidth || 480));
}

export function MissingChart({ days, lines }: { days: MissingDay[]; lines: ChartLine[] }) {
  const host = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const at = useSignal(days.length - 1);
  const drawn = useSignal(true);

  useEffect(() => {
    const target = host.current;
    if (!target) return;
    // uPlot draws later, in a microtask, where a failure cannot be caught here: no full 2D
    // context (a test DOM, whose canvas is absent or a stand-in), no chart; the table holds every figure.
    const probe = document.createElement('canvas').getContext('2d') as Partial<CanvasRenderingContext2D> | null;
    if (typeof probe?.translate !== 'function') {
      drawn.value = false;
      return;
    }
    const data: uPlot.AlignedData = [days.map((day) => seconds(day.day)), ...lines.map((line) => days.map((day) => day.missing.get(line.key) ?? 0))];
    try {
      plot.current = new uPlot(
        {
          width: chartWidth(target),
          height: CHART_HEIGHT,
          series: [{}, ...lines.map((line, i) => ({ label: line.label, stroke: LINE_COLORS[i % LINE_COLORS.length], width: 2, points: { show: true } }))],
          axes: [
            { stroke: '#a3a3a3', grid: { stroke: '#3d3d3d' }, ticks: { stroke: '#3d3d3d' } },
            { stroke: '#a3a3a3', grid: { stroke: '#3d3d3d' }, ticks: { stroke: '#3d3d3d' } },
          ],
          scales: { x: { time: true, range: dayRange }, y: { range: (_plot, _min, max) => [0, Math.max(1, max)] } },
          legend: { show: true },
        },
        data,
        target,
      );
    } catch {
      // No canvas to draw on (a test DOM): the table holds every figure.
      drawn.value = false;
    }
    // The panel changes size (the Designer's sizes, a resized window): the chart follows its width.
    const resized = new ResizeObserver(() => {
      const chart = plot.current;
      const width = chartWidth(target);
      if (chart && chart.width !== width) chart.setSize({ width, height: CHART_HEIGHT });
    });
    resized.observe(target);
    return () => {
      resized.disconnect();
      plot.current?.destroy();
      plot.current = null;
    };
  }, [days, lines]);

  const move = (index: number) => {
    const clamped = Math.max(0, Math.min(days.length - 1, index));
    at.value = clamped;
    const chart = plot.current;
    const x = days[clamped];
    if (chart && x) chart.setCursor({ left: chart.valToPos(seconds(x.day), 'x'), top: 10 });
  };

  const day = days[at.value];
  const summary = days.length > 0 ? `From ${days[0]?.day} to ${days.at(-1)?.day}. ${describeDay(days.at(-1) as MissingDay, lines)}.` : 'No days yet.';
  return (
    <figure class="report-chart">
      <div ref={host} role="img" aria-label={`Chart of images missing alt text by day. ${summary}`} />
      {/* The keyboard's way through the chart: a slider over its days, each day's figures as its value. */}
      <div
        class="report-chart-days"
        role="slider"
        tabIndex={0}
        aria-label="Day shown in the chart"
        aria-valuemin={0}
        aria-valuemax={Math.max(0, days.length - 1)}
        aria-valuenow={at.value}
        aria-valuetext={day ? describeDay(day, lines) : ''}
        onKeyDown={(event) => {
          const keys: Record<string, number> = { ArrowLeft: at.value - 1, ArrowDown: at.value - 1, ArrowRight: at.value + 1, ArrowUp: at.value + 1, Home: 0, End: days.length - 1 };
          const next = keys[event.key];
          if (next === undefined) return;
          event.preventDefault();
          move(next);
        }}
      >
        {day ? describeDay(day, lines) : ''}
      </div>
      <figcaption>
        {drawn.value ? 'Focus the line above and use ← and → to read each day.' : 'The chart cannot be drawn here; the table below has every figure.'}
      </figcaption>
    </figure>
  );
}
