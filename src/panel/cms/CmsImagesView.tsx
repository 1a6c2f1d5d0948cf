/**
 * "CMS images": every image use in the CMS grouped by collection and item, filtered and searched,
 * fixed inline with the grid's keys (Enter saves and goes to the next image, Shift+Enter the
 * previous, Esc reverts, arrows move, Ctrl+Z undoes the last batch) and Alt+Enter taking the
 * asset's alt text. Loaded with its model when first opened (src/panel/workspace.ts).
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import type { IndexedAsset, Locale } from '../../core/api.ts';
import { lintAltText } from '../../core/alt-lint.ts';
import { PlaceRow } from '../components/PlaceRow.tsx';
import { FieldForm } from '../components/field-form.tsx';
import type { Workspace } from '../workspace.ts';
import type { CmsImagesModel } from './model.ts';
import { ALT_STATE_WORDS, cmsAltState, fieldsOf, FIELD_TYPE_WORDS, groupUses, placeLabel, supportsDecorative, type CmsAltState, type CmsUse } from './uses.ts';
import { ItemWait, WaitingForPublishing } from './Publishing.tsx';
import './cms.css';

export const CMS_KEYS_ID = 'cms-keys';
/** Rows drawn at first and added by "Show more": a site has thousands of CMS images. */
export const CMS_PAGE = 100;

type Move = 'next' | 'previous';

export function CmsImagesView({ workspace, model }: { workspace: Workspace; model: CmsImagesModel }) {
  const list = useRef<HTMLDivElement>(null);
  const [limit, setLimit] = useState(CMS_PAGE);
  const focusRow = useRef<number | null>(null);
  const shown = model.shown.value;
  const uses = model.uses.value;
  const filters = model.filters.value;
  const locales = workspace.assets.locales.value;
  const waiting = model.publishing.byItemId.value;
  const visible = shown.slice(0, limit);
  const rowOf = new Map(visible.map((use, index) => [use.key, index]));

  useEffect(() => {
    // Going on past the rows drawn: focus the next one once a render has drawn it.
    if (focusRow.current !== null && focusField(focusRow.current)) focusRow.current = null;
  });

  function focusField(index: number): boolean {
    const field = list.current?.querySelector<HTMLElement>(`[data-row="${index}"] [data-field="alt"]`);
    field?.scrollIntoView?.({ block: 'nearest' });
    field?.focus();
    return field !== null && field !== undefined;
  }

  function move(use: CmsUse, direction: Move) {
    const index = (rowOf.get(use.key) ?? 0) + (direction === 'next' ? 1 : -1);
    if (index < 0 || index >= shown.length) return;
    if (index >= limit) {
      // The next image is past the rows drawn: draw more, then go there.
      focusRow.current = index;
      setLimit(limit + CMS_PAGE);
      return;
    }
    focusField(index);
  }

  function onKeyDown(event: KeyboardEvent, use: CmsUse) {
    const dirty = model.drafts.value.has(use.key);
    if (event.key === 'Enter' && event.altKey) {
      event.preventDefault();
      const suggestion = model.suggestion(use);
      if (suggestion !== null && !workspace.readOnly) model.setDraft(use.key, suggestion);
    } else if (event.key === 'Enter') {
      event.preventDefault();
      if (!workspace.readOnly) void model.save(use.key);
      move(use, event.shiftKey ? 'previous' : 'next');
    } else if (event.key === 'Escape' && dirty) {
      event.preventDefault();
      event.stopPropagation();
      model.revert(use.key);
      workspace.announcer.say('Reverted to the saved alt text.');
    } else if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      move(use, event.key === 'ArrowDown' ? 'next' : 'previous');
    } else if ((event.ctrlKey || event.metaKey) && !event.shiftKey && event.key.toLowerCase() === 'z' && !dirty) {
      event.preventDefault();
      void workspace.edits.undoLast();
    }
  }

  const crawl = model.crawl.value;
  const loadState = model.loadState.value;
  const firstReading = crawl !== null && !crawl.built && crawl.state !== 'needs_scopes';
  return (
    <section class="cms" aria-labelledby="cms-title">
      <h2 id="cms-title" class="onpage-title">
        CMS images
      </h2>
      <p id={CMS_KEYS_ID} hidden>
        Enter saves and goes to the next image, Shift+Enter to the previous; Esc reverts; Alt+Enter takes the asset’s alt text; Ctrl+Z undoes the last batch.
      </p>
      {model.error.value && (
        <p class="notice error" role="alert">
          {model.error.value}{' '}
          <button type="button" onClick={() => void model.load()}>
            Try again
          </button>
        </p>
      )}
      {crawl?.state === 'needs_scopes' && (
        <p class="notice" role="note">
          {crawl.error}
        </p>
      )}
      {crawl?.state === 'failed' && crawl.error && (
        <p class="notice" role="note">
          {crawl.error}
        </p>
      )}
      {firstReading && <p class="empty">Reading the site’s CMS items… the images appear when the first reading finished.</p>}
      {loadState === 'loading' && !firstReading && <p class="empty">Loading the CMS images…</p>}
      {/* Until the first reading ends, no count, filters or "no images": the CMS is not read yet. */}
      {loadState === 'ready' && !firstReading && (
        <>
          <WaitingForPublishing model={model} readOnly={workspace.readOnly} />
          <Filters model={model} locales={locales} />
          <p class="cms-count" role="status">
            {shown.length === uses.length ? `${uses.length} ${uses.length === 1 ? 'image' : 'images'}` : `${shown.length} of ${uses.length} images`}
            {filters.altState === 'missing' ? ' without alt text' : ''}
          </p>
          <div class="cms-list" ref={list}>
            {groupUses(visible).map((collection) => (
              <section class="cms-collection" key={collection.collectionId} aria-labelledby={`cms-c-${collection.collectionId}`}>
                <h3 id={`cms-c-${collection.collectionId}`}>{collection.collectionName}</h3>
                {collection.items.map((item) => (
                  <div class="cms-item" key={item.itemId} data-item-id={item.itemId}>
                    <h4>{item.itemName}</h4>
                    <ItemWait item={waiting.get(item.itemId)} />
                    <ul aria-label={`Images of ${item.itemName}`}>
                      {item.uses.map((use) => (
                        <UseRow
                          key={use.key}
                          workspace={workspace}
                          model={model}
                          use={use}
                          row={rowOf.get(use.key) ?? 0}
                          asset={workspace.assets.byId.value.get(use.assetId)}
                          localeName={localeNameOf(use.localeId, locales)}
                          onKeyDown={onKeyDown}
                        />
                      ))}
                    </ul>
                  </div>
                ))}
              </section>
            ))}
          </div>
          {shown.length === 0 && <p class="empty">{uses.length === 0 ? 'The CMS holds no images.' : 'No CMS image matches these filters.'}</p>}
          {shown.length > limit && (
            <button type="button" class="cms-more" onClick={() => setLimit(limit + CMS_PAGE)}>
              Show {Math.min(CMS_PAGE, shown.length - limit)} more of {shown.length - limit}
            </button>
          )}
        </>
      )}
    </section>
  );
}

/** A locale's name when the site has several, else nothing to say. */
function localeNameOf(localeId: string | null, locales: readonly Locale[]): string | null {
  if (locales.length < 2) return null;
  const locale = localeId === null ? locales.find((each) => each.primary) : locales.find((each) => each.id === localeId);
  return locale?.displayName ?? localeId ?? 'Primary';
}

const CMS_FILTER_CHOICES_ID = 'cms-filter-choices';

/**
 * The search and four choices. In Webflow's narrowest panels (240 px) the choices alone filled
 * the view: there they fold behind one button that says how many are set (cms.css), the search
 * stays out.
 */
function Filters({ model, locales }: { model: CmsImagesModel; locales: readonly Locale[] }) {
  const [open, setOpen] = useState(false);
  const filters = model.filters.value;
  const fields = fieldsOf(model.uses.value, filters.collectionId);
  const set = [filters.collectionId, filters.fieldSlug, filters.localeId, filters.altState].filter((choice) => choice !== 'all').length;
  return (
    <div class={open ? 'cms-filters open' : 'cms-filters'} role="group" aria-label="Filter CMS images">
      <FieldForm>
        <label>
          <span>Item</span>
          <input type="search" aria-label="Search items by name" value={filters.query} placeholder="Search items" maxLength={200} onInput={(event) => model.setFilters({ query: event.currentTarget.value })} />
        </label>
      </FieldForm>
      <button type="button" class="cms-filters-toggle" aria-expanded={open} aria-controls={CMS_FILTER_CHOICES_ID} onClick={() => setOpen(!open)}>
        {set > 0 ? `Filters (${set})` : 'Filters'}
      </button>
      <div class="cms-filter-choices" id={CMS_FILTER_CHOICES_ID}>
        <label>
          <span>Collection</span>
          <select value={filters.collectionId} onChange={(event) => model.setFilters({ collectionId: event.currentTarget.value })}>
            <option value="all">All collections</option>
            {model.collections.value.map((collection) => (
              <option key={collection.id} value={collection.id}>
                {collection.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          <span>Field</span>
          <select value={filters.fieldSlug} onChange={(event) => model.setFilters({ fieldSlug: event.currentTarget.value })}>
            <option value="all">All fields</option>
            {fields.map((field) => (
              <option key={field.slug} value={field.slug}>
                {field.slug} ({FIELD_TYPE_WORDS[field.type]})
              </option>
            ))}
          </select>
        </label>
        {locales.length > 1 && (
          <label>
            <span>CMS locale</span>
            <select value={filters.localeId} onChange={(event) => model.setFilters({ localeId: event.currentTarget.value })}>
              <option value="all">All locales</option>
              {locales.map((locale) => (
                <option key={locale.id} value={locale.primary ? '' : locale.id}>
                  {locale.displayName}
                </option>
              ))}
            </select>
          </label>
        )}
        <label>
          <span>Alt text</span>
          <select value={filters.altState} onChange={(event) => model.setFilters({ altState: event.currentTarget.value as CmsAltState | 'all' })}>
            <option value="all">Any alt text</option>
            {(Object.keys(ALT_STATE_WORDS) as CmsAltState[]).map((state) => (
              <option key={state} value={state}>
                {ALT_STATE_WORDS[state]}
              </option>
            ))}
          </select>
        </label>
      </div>
    </div>
  );
}

interface UseRowProps {
  workspace: Workspace;
  model: CmsImagesModel;
  use: CmsUse;
  row: number;
  asset: IndexedAsset | undefined;
  localeName: string | null;
  onKeyDown(event: KeyboardEvent, use: CmsUse): void;
}

function UseRow({ workspace, model, use, row, asset, localeName, onKeyDown }: UseRowProps) {
  const { readOnly } = workspace;
  const place = placeLabel(use);
  const label = `${use.itemName}, ${place}${localeName ? ` (${localeName})` : ''}`;
  const draft = model.drafts.value.get(use.key);
  const saved = model.altText(use);
  const value = draft ?? saved ?? '';
  const state = cmsAltState(use.fieldType, draft ?? saved);
  const pending = model.isPending(use.key);
  const problem = model.problem(use.key);
  const suggestion = readOnly ? null : model.suggestion(use);
  const linted = state === 'decorative' ? [] : lintAltText(value, asset ? { fileName: asset.fileName, name: asset.name, contentType: asset.contentType } : { fileName: '', name: '', contentType: 'image/jpeg' });
  // The lint's fix for a missing alt offers "decorative", which an Image or MultiImage field cannot be.
  const findings = supportsDecorative(use.fieldType) ? linted : linted.map((finding) => (finding.code === 'missing' ? { ...finding, fix: 'Describe what the image shows.' } : finding));
  const stateId = `cms-state-${row}`;
  const lintId = `cms-lint-${row}`;

  return (
    <PlaceRow class={`cms-row ${pending ? 'pending' : ''}`} data-row={row} thumbUrl={asset?.thumbUrl} problem={problem}>
      <span class="cms-place">
        {place}
        {localeName ? ` · ${localeName}` : ''}
      </span>
      <input
        type="text"
        class={draft !== undefined ? 'draft' : ''}
        aria-label={`Alt text for ${label}`}
        aria-describedby={[stateId, findings.length > 0 ? lintId : '', CMS_KEYS_ID].filter(Boolean).join(' ')}
        aria-invalid={findings.length > 0 ? true : undefined}
        data-field="alt"
        value={value}
        placeholder={state === 'decorative' ? 'Decorative: alt=""' : 'Describe this image'}
        readOnly={readOnly}
        maxLength={2000}
        onInput={(event) => model.setDraft(use.key, event.currentTarget.value)}
        onKeyDown={(event) => onKeyDown(event, use)}
      />
      <p class="onpage-state" id={stateId}>
        {pending ? 'Saved: waiting for Webflow to apply it…' : ALT_STATE_WORDS[state]}
        {supportsDecorative(use.fieldType) && state !== 'decorative' && (
          <>
            {' '}
            <button type="button" class="link" aria-label={`Mark decorative: ${label}`} disabled={readOnly} onClick={() => void model.markDecorative(use.key)}>
              Mark decorative
            </button>
          </>
        )}
      </p>
      {findings.length > 0 && (
        <p class="lint" id={lintId}>
          {findings.map((finding) => `${finding.message} ${finding.fix}`).join(' · ')}
        </p>
      )}
      {suggestion !== null && (
        <button
          type="button"
          class="chip"
          title="Alt+Enter in the field takes it too"
          aria-label={`Asset’s alt text: ${suggestion}, for ${label}`}
          onClick={() => model.setDraft(use.key, suggestion)}
        >
          <span class="chip-prefix">Asset’s alt text: </span>
          {suggestion}
        </button>
      )}
    </PlaceRow>
  );
}
