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

export function plural(count: number, one: string, many = `${one}s`): string {
  return `${count.toLocaleString('en')} ${count === 1 ? one : many}`;
}
