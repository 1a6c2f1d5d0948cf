/** How sizes, types and counts read in the panel. */
import { extensionOf } from '../../core/limits.ts';

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(bytes < 10 * 1024 ? 1 : 0)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

export function typeLabel(fileName: string, contentType: string): string {
  const extension = extensionOf(fileName);
  if (extension) return extension.toUpperCase();
  return contentType.split('/')[1]?.toUpperCase() ?? contentType;
}

/**
 * One formatter for every count in the panel: `count.toLocaleString('en')` builds a number format
 * on each call, and the toolbar's counts made it a tenth of a keystroke's script at 20,000 assets.
 */
const COUNT_FORMAT = new Intl.NumberFormat('en');

/** 12,345 */
export function formatCount(count: number): string {
  return COUNT_FORMAT.format(count);
}

export function plural(count: number, one: string, many = `${one}s`): string {
  return `${formatCount(count)} ${count === 1 ? one : many}`;
}
