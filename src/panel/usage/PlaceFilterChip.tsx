/**
 * The grid's "used on" filter while set (from the Report's per-page and per-collection numbers):
 * what it keeps, with a button that takes it away.
 */
import type { PlaceFilter } from '../find/query.ts';
import type { Workspace } from '../workspace.ts';

export function placeWords(place: Pick<PlaceFilter, 'kind' | 'name'>): string {
  return `${place.kind === 'page' ? 'page' : 'collection'} ${place.name}`;
}

export function PlaceFilterChip({ workspace }: { workspace: Workspace }) {
  const place = workspace.find.place.value;
  if (!place) return null;
  const words = placeWords(place);
  return (
    <span class="place-filter" title={`Only assets used on ${words}`}>
      Used on {words}
      <button type="button" aria-label={`Remove the filter: used on ${words}`} onClick={() => (workspace.find.place.value = null)}>
        ×
      </button>
    </span>
  );
}
