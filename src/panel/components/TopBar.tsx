/** Search, filters with their counts, type, locale and sort: the grid's query. */
import { useSignal } from '@preact/signals';
import type { FindFilter, FindKind, FindSort } from '../find/query.ts';
import type { Workspace } from '../workspace.ts';
import { pauseThumbnails } from './thumbnails.ts';

const FILTER_LABELS: Record<FindFilter, string> = {
  all: 'All',
  missing: 'Missing alt text',
  decorative: 'Decorative',
  lint: 'Needs review',
};

const KIND_LABELS: Record<FindKind, string> = {
  all: 'All types',
  image: 'Images',
  document: 'Documents',
  other: 'Other',
};

const SORT_LABELS: Record<FindSort, string> = { name: 'Name', date: 'Date added', size: 'Size' };

export function TopBar({ workspace }: { workspace: Workspace }) {
  const { find, assets, folders } = workspace;
  const counts = find.counts.value;
  const locales = assets.locales.value;
  // In the compact layout (the Designer's default 240×360) the less used choices fold away.
  const moreOpen = useSignal(false);
  const missing = find.missingByLocale.value;

  return (
    <header class="top-bar">
      <input
        type="search"
        class="search"
        aria-label="Search assets"
        placeholder="Search names and alt text"
        value={find.text.value}
        onInput={(event) => {
          pauseThumbnails();
          find.text.value = event.currentTarget.value;
        }}
        onKeyDown={(event) => {
          if (event.key === 'Escape' && find.text.value) {
            event.preventDefault();
            find.text.value = '';
          }
        }}
      />
      <select
        class="compact-only"
        aria-label="Show"
        value={find.filter.value}
        onChange={(event) => (find.filter.value = event.currentTarget.value as FindFilter)}
      >
        {(Object.keys(FILTER_LABELS) as FindFilter[]).map((filter) => (
          <option key={filter} value={filter}>
            {FILTER_LABELS[filter]} ({counts.filter[filter].toLocaleString('en')})
          </option>
        ))}
      </select>
      <button
        type="button"
        class="compact-only"
        aria-expanded={moreOpen.value}
        aria-controls="more-choices"
        onClick={() => (moreOpen.value = !moreOpen.value)}
      >
        More
      </button>
      <div class="filters wide-only" role="group" aria-label="Alt text filter">
        {(Object.keys(FILTER_LABELS) as FindFilter[]).map((filter) => (
          <button type="button" key={filter} aria-pressed={find.filter.value === filter} onClick={() => (find.filter.value = filter)}>
            {FILTER_LABELS[filter]}
            <span class="count">{counts.filter[filter].toLocaleString('en')}</span>
          </button>
        ))}
      </div>
      <div id="more-choices" class={`more-choices ${moreOpen.value ? 'open' : ''}`}>
        <select aria-label="Type" value={find.kind.value} onChange={(event) => (find.kind.value = event.currentTarget.value as FindKind)}>
          {(Object.keys(KIND_LABELS) as FindKind[]).map((kind) => (
            <option key={kind} value={kind}>
              {KIND_LABELS[kind]} ({counts.kind[kind].toLocaleString('en')})
            </option>
          ))}
        </select>
        <select
          class="compact-only"
          aria-label="Folder"
          value={find.folderId.value ?? ''}
          onChange={(event) => (find.folderId.value = event.currentTarget.value || null)}
        >
          <option value="">All folders</option>
          {folders.rows.value.map((row) => (
            <option key={row.folder.id} value={row.folder.id}>
              {'\u2003'.repeat(row.depth)}
              {row.folder.name} ({counts.folders.get(row.folder.id) ?? 0})
            </option>
          ))}
        </select>
        {locales.length > 1 && (
          <select
            aria-label="Locale"
            value={find.localeId.value ?? ''}
            onFocus={() => find.wantLocaleCounts()}
            onPointerDown={() => find.wantLocaleCounts()}
            onChange={(event) => {
              const chosen = locales.find((locale) => locale.id === event.currentTarget.value);
              find.localeId.value = !chosen || chosen.primary ? null : chosen.id;
            }}
          >
            {locales.map((locale) => (
              <option key={locale.id} value={locale.primary ? '' : locale.id}>
                {locale.displayName}
                {locale.primary ? ' (primary)' : ''}
                {missing ? `: ${(missing.get(locale.primary ? null : locale.id) ?? 0).toLocaleString('en')} missing` : ''}
              </option>
            ))}
          </select>
        )}
        <select aria-label="Sort by" value={find.sort.value} onChange={(event) => (find.sort.value = event.currentTarget.value as FindSort)}>
          {(Object.keys(SORT_LABELS) as FindSort[]).map((sort) => (
            <option key={sort} value={sort}>
              {SORT_LABELS[sort]}
            </option>
          ))}
        </select>
        <button
          type="button"
          aria-label={find.direction.value === 'asc' ? 'Sorted ascending; sort descending' : 'Sorted descending; sort ascending'}
          onClick={() => (find.direction.value = find.direction.value === 'asc' ? 'desc' : 'asc')}
        >
          {find.direction.value === 'asc' ? '↑' : '↓'}
        </button>
      </div>
    </header>
  );
}
