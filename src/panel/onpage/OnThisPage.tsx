/**
 * "On this page": the open page's images in page order, each with its asset's alt text and its
 * own, fixed inline with the grid's keys (Enter saves and goes to the same field of the next
 * image, Shift+Enter the previous, Esc reverts, arrows move). Focusing an image's row selects
 * it on the canvas; selecting an image on the canvas brings its row into view and focuses it.
 */
import { useEffect, useRef } from 'preact/hooks';
import type { IndexedAsset } from '../../core/api.ts';
import { readableName } from '../../core/display-name.ts';
import type { Workspace } from '../workspace.ts';
import { PlaceRow } from '../components/PlaceRow.tsx';
import type { PageImage } from './model.ts';

type Field = 'asset' | 'element';

export const ONPAGE_KEYS_ID = 'onpage-keys';

export function OnThisPage({ workspace }: { workspace: Workspace }) {
  const { onPage, edits, assets, readOnly } = workspace;
  const list = useRef<HTMLUListElement>(null);
  const page = onPage.page.value;
  const images = onPage.images.value;
  const loadState = onPage.loadState.value;
  const follow = onPage.follow.value;
  const byId = assets.byId.value;

  useEffect(() => {
    if (!follow) return;
    const field = list.current?.querySelector<HTMLElement>(`[data-element-id="${CSS.escape(follow.elementId)}"] [data-field="element"]`);
    field?.scrollIntoView?.({ block: 'nearest' });
    field?.focus();
  }, [follow, images]);

  function focusField(elementId: string, field: Field, move: 'next' | 'previous') {
    const index = images.findIndex((each) => each.elementId === elementId);
    const next = images[move === 'next' ? index + 1 : index - 1];
    if (!next) return;
    const element = list.current?.querySelector<HTMLElement>(`[data-element-id="${CSS.escape(next.elementId)}"] [data-field="${field}"]`);
    element?.scrollIntoView?.({ block: 'nearest' });
    element?.focus();
  }

  function onKeyDown(event: KeyboardEvent, image: PageImage, field: Field) {
    const assetId = image.assetId;
    const dirty = field === 'element' ? onPage.drafts.value.has(image.elementId) : assetId !== null && edits.hasDraft(assetId, null);
    if (event.key === 'Enter') {
      event.preventDefault();
      if (!readOnly) {
        if (field === 'element') void onPage.save(image.elementId);
        else if (assetId) void edits.save(assetId, null);
      }
      focusField(image.elementId, field, event.shiftKey ? 'previous' : 'next');
    } else if (event.key === 'Escape' && dirty) {
      event.preventDefault();
      event.stopPropagation();
      if (field === 'element') onPage.revert(image.elementId);
      else if (assetId) edits.revert(assetId, null);
      workspace.announcer.say('Reverted to the saved alt text.');
    } else if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      focusField(image.elementId, field, event.key === 'ArrowDown' ? 'next' : 'previous');
    } else if ((event.ctrlKey || event.metaKey) && !event.shiftKey && event.key.toLowerCase() === 'z' && !dirty) {
      event.preventDefault();
      void edits.undoLast();
    }
  }

  const pageName = page?.name ?? 'this page';
  return (
    <section class="onpage" aria-labelledby="onpage-title">
      <h2 id="onpage-title" class="onpage-title">
        On this page: {pageName}
      </h2>
      <p id={ONPAGE_KEYS_ID} hidden>
        Enter saves and goes to the next image, Shift+Enter to the previous; Esc reverts; Ctrl+Z undoes the last batch. An empty field on this page uses the
        asset’s alt text.
      </p>
      {onPage.waiting.value.map((waiting) => (
        <p class="notice" role="status" key={waiting.pageId}>
          Waits until you open {waiting.pageName}: {waiting.count} {waiting.count === 1 ? 'change' : 'changes'} to its images.{' '}
          <button type="button" onClick={() => void onPage.goTo(waiting.pageId, null)}>
            Open {waiting.pageName}
          </button>
        </p>
      ))}
      {loadState === 'failed' && (
        <p class="notice error" role="alert">
          {onPage.error.value}{' '}
          <button type="button" onClick={() => void onPage.load()}>
            Try again
          </button>
        </p>
      )}
      {(loadState === 'loading' || loadState === 'idle') && images.length === 0 && <p class="empty">Reading the page’s images from the Designer…</p>}
      {loadState === 'ready' && images.length === 0 && <p class="empty">{pageName} has no images.</p>}
      {images.length > 0 && (
        <ul class="onpage-list" aria-label={`Images on ${pageName}`} ref={list}>
          {images.map((image, index) => (
            <ImageRow
              key={image.elementId}
              workspace={workspace}
              image={image}
              position={index + 1}
              asset={image.assetId ? byId.get(image.assetId) : undefined}
              onKeyDown={onKeyDown}
            />
          ))}
        </ul>
      )}
    </section>
  );
}

interface ImageRowProps {
  workspace: Workspace;
  image: PageImage;
  position: number;
  asset: IndexedAsset | undefined;
  onKeyDown(event: KeyboardEvent, image: PageImage, field: Field): void;
}

function ImageRow({ workspace, image, position, asset, onKeyDown }: ImageRowProps) {
  const { onPage, edits, readOnly } = workspace;
  const name = asset ? readableName(edits.nameOf(asset)) : image.assetId ? `Image ${position}` : `Image ${position} (no image set)`;
  const own = onPage.ownAltText(image);
  const elementDraft = onPage.drafts.value.get(image.elementId);
  const assetAlt = asset ? edits.altText(asset, null) : undefined;
  const assetDirty = asset ? edits.hasDraft(asset.id, null) : false;
  const problem = onPage.problem(image.elementId);
  const usesAsset = own === null && elementDraft === undefined;
  const stateId = `onpage-state-${image.elementId}`;
  const selected = onPage.selectedElementId.value === image.elementId;

  return (
    <PlaceRow
      class={selected ? 'selected' : ''}
      data-element-id={image.elementId}
      aria-current={selected ? 'true' : undefined}
      onFocusIn={() => onPage.select(image.elementId)}
      thumbUrl={asset?.thumbUrl}
      problem={problem}
    >
      <strong>{name}</strong>
      <label class="field">
        <span class="field-label">Asset’s alt text</span>
        <input
          type="text"
          class={assetDirty ? 'draft' : ''}
          aria-label={`Asset’s alt text for ${name}`}
          aria-describedby={ONPAGE_KEYS_ID}
          data-field="asset"
          value={assetAlt ?? ''}
          placeholder={assetAlt === null ? 'Decorative: no alt text' : 'Describe this image'}
          readOnly={readOnly || !asset}
          maxLength={2000}
          onInput={(event) => asset && edits.setDraft(asset.id, null, event.currentTarget.value)}
          onKeyDown={(event) => onKeyDown(event, image, 'asset')}
        />
      </label>
      <label class="field">
        <span class="field-label">On this page</span>
        <input
          type="text"
          class={elementDraft !== undefined ? 'draft' : ''}
          aria-label={`Alt text on this page for ${name}`}
          aria-describedby={`${stateId} ${ONPAGE_KEYS_ID}`}
          data-field="element"
          value={onPage.fieldValue(image)}
          placeholder={own === null ? 'Uses the asset’s alt text' : ''}
          readOnly={readOnly || !image.assetId}
          maxLength={2000}
          onInput={(event) => onPage.setDraft(image.elementId, event.currentTarget.value)}
          onKeyDown={(event) => onKeyDown(event, image, 'element')}
        />
      </label>
      <p class="onpage-state" id={stateId}>
        {usesAsset ? 'Uses the asset’s alt text' : own === '' && elementDraft === undefined ? 'Empty on this page (alt="")' : 'Own alt text on this page'}
        {!usesAsset && image.assetId && (
          <>
            {' '}
            <button
              type="button"
              class="link"
              aria-label={`Use the asset’s alt text for ${name}`}
              disabled={readOnly}
              onClick={() => void onPage.useAssetAltText(image.elementId)}
            >
              Use the asset’s alt text
            </button>
          </>
        )}
      </p>
    </PlaceRow>
  );
}
