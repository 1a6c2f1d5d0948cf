/** Search, filters with their counts, type, locale and sort: the grid's query. */
import { useSignal } from '@preact/signals';
import type { FindFilter, FindKind, FindSort } from '../find/query.ts';
import { CsvButtons } from '../csv/CsvButtons.tsx';
import { PlaceFilterChip } from '../usage/PlaceFilterChip.tsx';
import { UsageFilterSelect } from '../usage/UsageFilterSelect.tsx';
import { ReportButton } from '../report/ReportSlot.tsx';
import type { Workspace } from '../workspace.ts';
import { NewFolderDialog } from './NewFolderDialog.tsx';
import { pauseThumbnails } from '../thumbnails/thumbnails.ts';
import { formatCount } from './format.ts';
import { FieldForm } from './field-form.tsx';

const FILTER_LABELS: Record<FindFilter, string> = {
  all: 'All',
  missing: 'Missing alt text',
  decorative: 'Decorative',
  lint: 'Needs review',
};

/**
 * Each filter's label as a short word and the rest, so a narrower toolbar can show "Missing" and
 * keep "Missing alt text" as the button's name for screen readers.
 */
const FILTER_WORDS: Record<FindFilter, [short: string, rest: string]> = {
  all: ['All', ''],
  missing: ['Missing', ' alt text'],
  decorative: ['Decorative', ''],
  lint: ['Needs review', ''],
};

const KIND_LABELS: Record<FindKind, string> = {
  all: 'All types',
  image: 'Images',
  document: 'Documents',
  other: 'Other',
};

const SORT_LABELS: Record<FindSort, string> = { name: 'Name', date: 'Date added', size: 'Size', uses: 'Most used first' };

export function TopBar({ workspace }: { workspace: Workspace }) {
  const { find, assets, folders } = workspace;
  const counts = find.counts.value;
  const locales = assets.locales.value;
  // Below the widest layout the less used choices fold away behind More (see styles.css).
  const moreOpen = useSignal(false);
  const creatingFolder = useSignal(false);
  const missing = find.missingByLocale.value;
  // Folded-away choices that are not at their default, so a closed More still says they are set:
  // type and sort fold away below the widest layout, folder and locale too in the compact one.
  const changed =
    (find.kind.value !== 'all' ? 1 : 0) + (find.usage.value !== 'all' ? 1 : 0) + (find.sort.value !== 'name' || find.direction.value !== 'asc' ? 1 : 0);
  const usageBuilt = workspace.usage.built.value;
  const changedCompact = changed + (find.folderId.value !== null ? 1 : 0) + (find.localeId.value !== null ? 1 : 0);
  // The grid's query does nothing to "On this page" or "CMS images" (the latter has its own
  // filters): shown only with the grid, and More then says nothing of choices that are set.
  const gridShown = workspace.onPage.view.value === 'assets';

  return (
    <header class="top-bar">
      {/* The panel's title, for screen readers' list of headings: on screen the space goes to the grid. */}
      <h1 class="visually-hidden">Asset Desk</h1>
      {gridShown && (
        <>
          <FieldForm role="search">
            <input
              type="search"
              class="search"
              aria-label="Search assets"
              placeholder="Search names and alt text"
              // The signal itself, not its value: bound to the field, so a keystroke does not render the bar.
              value={find.text}
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
          </FieldForm>
          <select
            class="compact-only"
            aria-label="Show"
            value={find.filter.value}
            onChange={(event) => (find.filter.value = event.currentTarget.value as FindFilter)}
          >
            {(Object.keys(FILTER_LABELS) as FindFilter[]).map((filter) => (
              <option key={filter} value={filter}>
                {FILTER_LABELS[filter]} ({formatCount(counts.filter[filter])})
              </option>
            ))}
          </select>
          <div class="filters wide-only" role="group" aria-label="Alt text filter">
            {(Object.keys(FILTER_LABELS) as FindFilter[]).map((filter) => {
              const [short, rest] = FILTER_WORDS[filter];
              return (
                <button type="button" key={filter} aria-pressed={find.filter.value === filter} onClick={() => (find.filter.value = filter)}>
                  {short}
                  {rest && <span class="label-rest">{rest}</span>}
                  <span class="count">{formatCount(counts.filter[filter])}</span>
                </button>
              );
            })}
          </div>
          <PlaceFilterChip workspace={workspace} />
        </>
      )}
      <ReportButton workspace={workspace} />
      <button
        type="button"
        class="more-toggle"
        aria-expanded={moreOpen.value}
        aria-controls="more-choices"
        title="Type, usage and sort; in a narrow panel, folder and locale too"
        onClick={() => (moreOpen.value = !moreOpen.value)}
      >
        More
        {gridShown && !moreOpen.value && changed > 0 && <span class="wide-only"> ({changed} set)</span>}
        {gridShown && !moreOpen.value && changedCompact > 0 && <span class="compact-only"> ({changedCompact} set)</span>}
      </button>
      <div
        id="more-choices"
        class={`more-choices ${moreOpen.value ? 'open' : ''}`}
        onKeyDown={(event) => {
          // Esc folds the choices away again and gives focus back to More.
          if (event.key !== 'Escape' || !moreOpen.value) return;
          event.preventDefault();
          moreOpen.value = false;
          event.currentTarget.parentElement?.querySelector<HTMLElement>('.more-toggle')?.focus();
        }}
      >
        {gridShown && (
          <>
            {locales.length > 1 && (
              <select
                class="locale"
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
                    {missing ? `: ${formatCount(missing.get(locale.primary ? null : locale.id) ?? 0)} missing` : ''}
                  </option>
                ))}
              </select>
            )}
            <select class="foldable" aria-label="Type" value={find.kind.value} onChange={(event) => (find.kind.value = event.currentTarget.value as FindKind)}>
              {(Object.keys(KIND_LABELS) as FindKind[]).map((kind) => (
                <option key={kind} value={kind}>
                  {KIND_LABELS[kind]} ({formatCount(counts.kind[kind])})
                </option>
              ))}
            </select>
            <UsageFilterSelect workspace={workspace} />
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
          </>
        )}
        {!workspace.readOnly && (
          <button type="button" class="compact-only" onClick={() => (creatingFolder.value = true)}>
            New folder…
          </button>
        )}
        {gridShown && (
          <>
            <select class="foldable" aria-label="Sort by" value={find.sort.value} onChange={(event) => (find.sort.value = event.currentTarget.value as FindSort)}>
              {(Object.keys(SORT_LABELS) as FindSort[]).map((sort) => (
                <option key={sort} value={sort} disabled={sort === 'uses' && !usageBuilt}>
                  {SORT_LABELS[sort]}
                </option>
              ))}
            </select>
            <button
              type="button"
              class="foldable"
              aria-label={find.direction.value === 'asc' ? 'Sorted ascending; sort descending' : 'Sorted descending; sort ascending'}
              onClick={() => (find.direction.value = find.direction.value === 'asc' ? 'desc' : 'asc')}
            >
              {find.direction.value === 'asc' ? '↑' : '↓'}
            </button>
          </>
        )}
        <CsvButtons workspace={workspace} placement="toolbar" />
      </div>
      {creatingFolder.value && <NewFolderDialog workspace={workspace} onClose={() => (creatingFolder.value = false)} />}
    </header>
  );
}
