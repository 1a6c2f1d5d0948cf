/**
 * Whether a CSS media query matches, kept up to date: for the few places where one layout shows a
 * control in one place and another layout in another, and only one may render it (each name once
 * on the page, so a screen reader and a test find one). Without `matchMedia` (a test's DOM), false.
 */
import { useSignal } from '@preact/signals';
import { useEffect, useMemo } from 'preact/hooks';

/** The compact layout of styles.css (`@media (max-width: 520px)`): Webflow's default and comfortable sizes. */
export const COMPACT_LAYOUT = '(max-width: 520px)';
/** The widest layout of styles.css (`@media (max-width: 1099px)` folds choices behind More). */
export const WIDE_LAYOUT = '(min-width: 1100px)';

export function useMediaQuery(media: string): boolean {
  const query = useMemo(() => (typeof matchMedia === 'function' ? matchMedia(media) : null), [media]);
  const matches = useSignal(query?.matches ?? false);
  useEffect(() => {
    if (!query) return;
    const update = () => (matches.value = query.matches);
    query.addEventListener('change', update);
    // The layout may have changed between the first render and this effect: no event tells of it.
    update();
    return () => query.removeEventListener('change', update);
  }, [query]);
  return matches.value;
}
