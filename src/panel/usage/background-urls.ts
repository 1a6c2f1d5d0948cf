/**
 * The URLs a CSS `background-image` value names: every `url(…)` layer, quoted with `"` or `'`
 * or bare, gradients and other layers skipped, CSS escapes undone.
 */
const URL_LAYER = /url\(\s*(?:"((?:[^"\\\n]|\\[^\n])*)"|'((?:[^'\\\n]|\\[^\n])*)'|((?:[^\s"'()\\]|\\[^\n])*))\s*\)/gi;

export function backgroundUrls(value: string): string[] {
  const urls: string[] = [];
  for (const match of value.matchAll(URL_LAYER)) {
    const url = (match[1] ?? match[2] ?? match[3] ?? '').replace(/\\([^\n])/g, '$1').trim();
    if (url !== '') urls.push(url);
  }
  return urls;
}
