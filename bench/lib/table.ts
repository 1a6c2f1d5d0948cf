import type { Figure } from './figure.ts';

function show(value: number | null, unit = ''): string {
  if (value === null || Number.isNaN(value)) return '—';
  const text = Math.abs(value) >= 100 ? value.toFixed(0) : value.toFixed(value % 1 === 0 ? 0 : 2);
  return unit ? `${text} ${unit}` : text;
}

/** The figures as a Markdown table, the same one the README carries. */
export function formatTable(figures: Figure[]): string {
  const rows = figures.map((figure) => [
    figure.name,
    show(figure.value, figure.unit),
    show(figure.baseline, figure.baseline === null ? '' : figure.unit),
    figure.ratio === null ? '—' : `${show(figure.ratio)}×`,
    figure.target,
    figure.pass ? 'yes' : 'NO',
    figure.notes ?? '',
  ]);
  const header = ['figure', 'value', 'baseline', 'ratio', 'target', 'met', 'notes'];
  const lines = [header, header.map(() => '---'), ...rows].map((cells) => `| ${cells.join(' | ')} |`);
  return lines.join('\n');
}
