/**
 * The assets of the current filter as a grid that renders only the rows in view (fixed row
 * height), so 20,000 assets scroll like 20. Owns keyboard movement between rows: Enter saves
 * and goes to the next row of the filter, Shift+Enter to the previous, arrows move between
 * the same field of neighbouring rows, and focus follows even to rows not yet rendered.
 */
import { useComputed, useSignal } from '@preact/signals';
import { useEffect, useLayoutEffect, useMemo, useRef } from 'preact/hooks';
import { isImageType, lintAltText, normalizeAltText } from '../../core/alt-lint.ts';
import { readableName } from '../../core/display-name.ts';
import type { RefreshState } from '../../core/api.ts';
import type { Workspace } from '../workspace.ts';
import { MemoAssetRow, type Move, type RowActions } from './AssetRow.tsx';
import { assignRowSlots, type RowSlots } from './row-slots.ts';
import { usageLine } from '../usage/wording.ts';
import { COMPACT_LAYOUT, useMediaQuery } from './media-query.ts';
import { DRAG_TYPE } from './FolderPane.tsx';
import { plural, formatCount } from './format.ts';
import { KEYS_HINT, KEYS_HINT_ID } from './keys.ts';
import { thumbnailsPaused, type OnScreen } from '../thumbnails/thumbnails.ts';

export const ROW_HEIGHT = 56;
const OVERSCAN = 4;
/** Until the grid is measured (and in test DOMs without layout). */
const FALLBACK_HEIGHT = 480;

export function AssetGrid({ workspace }: { workspace: Workspace }) {
  const { find, edits, selection, folders, readOnly, assets } = workspace;
  const usedBy = workspace.usage.byAsset.value;
  const compact = useMediaQuery(COMPACT_LAYOUT);
  const scroller = useRef<HTMLDivElement>(null);
  const scrollTop = useSignal(0);
  const onScreen = useSignal<OnScreen>({ first: 0, last: 0 });
  const viewport = useSignal(FALLBACK_HEIGHT);
  const pendingFocus = useRef<{ id: string; field: string } | null>(null);
  /** The field that last had focus in the grid, to put focus back when its row leaves the filter. */
  const lastFocus = useRef<{ element: HTMLElement; rowId: string; field: string; index: number } | null>(null);
  /** A scroll position to apply after this render, keeping the focused row in place. */
  const scrollFix = useRef<number | null>(null);
  /** Which DOM row shows which asset (row-slots.ts): rows are handed on, not rebuilt, as the view changes. */
  const slots = useRef<RowSlots>(new Map());
  const actions = useRef<Required<RowActions> | null>(null);
  const rowActions = useMemo(() => forwardActions(actions), []);
  const results = find.results.value;
  const localeId = find.localeId.value;
  const ids = useComputed(() => find.results.value.map((asset) => asset.id));

  useEffect(() => {
    const element = scroller.current;
    if (!element || typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(() => {
      if (element.clientHeight > 0) viewport.value = element.clientHeight;
    });
    observer.observe(element);
    return () => observer.disconnect();
  }, []);

  useLayoutEffect(() => {
    if (scrollFix.current !== null && scroller.current) {
      scroller.current.scrollTop = scrollFix.current;
      scrollFix.current = null;
      scrollTop.value = scroller.current.scrollTop;
    }
    const last = lastFocus.current;
    const lost = last && !last.element.isConnected && (document.activeElement === null || document.activeElement === document.body);
    // A row scrolled out of the rendered window is still in the filter: leave the scroll alone.
    if (last && lost && !ids.value.includes(last.rowId)) {
      // e.g. marking a row decorative under "Missing alt text": the row leaves, its neighbour takes its place.
      lastFocus.current = null;
      const next = ids.value[Math.min(last.index, ids.value.length - 1)];
      if (next) focusAsset(next, last.field);
    }
    const wanted = pendingFocus.current;
    if (!wanted || !scroller.current) return;
    const element = scroller.current.querySelector<HTMLElement>(`[data-row-id="${CSS.escape(wanted.id)}"] [data-field="${wanted.field}"]`);
    if (element) {
      pendingFocus.current = null;
      element.focus();
    }
  });

  function focusAsset(id: string, field: string) {
    const index = ids.value.indexOf(id);
    const element = scroller.current;
    if (index < 0 || !element) return;
    const rowTop = index * ROW_HEIGHT;
    const headerHeight = 24;
    if (rowTop < element.scrollTop) element.scrollTop = rowTop;
    else if (rowTop + ROW_HEIGHT + headerHeight > element.scrollTop + viewport.value) {
      element.scrollTop = rowTop + ROW_HEIGHT + headerHeight - viewport.value;
    }
    pendingFocus.current = { id, field };
    // Rows render from the scroll signal; when the row is already there, focus it now.
    scrollTop.value = element.scrollTop;
    const rendered = element.querySelector<HTMLElement>(`[data-row-id="${CSS.escape(id)}"] [data-field="${field}"]`);
    if (rendered) {
      pendingFocus.current = null;
      rendered.focus();
    }
  }

  function neighbour(id: string, move: Move): string | undefined {
    const index = ids.value.indexOf(id);
    return ids.value[move === 'next' ? index + 1 : index - 1];
  }

  // Rows above the focused one came or went (saved rows leaving "Missing alt text", a refresh):
  // scroll by as much, so the focused row stays where it is, rendered and focused.
  let top = scrollTop.value;
  const focused = lastFocus.current;
  if (focused?.element.isConnected) {
    const now = ids.value.indexOf(focused.rowId);
    if (now >= 0 && now !== focused.index) {
      top = Math.max(0, top + (now - focused.index) * ROW_HEIGHT);
      focused.index = now;
      scrollFix.current = top;
    }
  }
  // While someone types in the search box every keystroke brings other rows: only the rows on
  // screen are rendered then, and the rows beyond each edge (for scrolling) once typing pauses.
  const overscan = thumbnailsPaused.value ? 0 : OVERSCAN;
  const start = Math.max(0, Math.floor(top / ROW_HEIGHT) - overscan);
  const end = Math.min(results.length, Math.ceil((top + viewport.value) / ROW_HEIGHT) + overscan);
  // Rows on screen load their thumbnails first, top to bottom; the overscan's wait.
  const firstOnScreen = Math.floor(top / ROW_HEIGHT);
  const lastOnScreen = Math.max(firstOnScreen, Math.ceil((top + viewport.value) / ROW_HEIGHT) - 1);
  // Told to the rows' thumbnails after this render, not as a prop: a scroll changes every row's
  // rank, and as a prop it rendered every row again.
  useLayoutEffect(() => {
    const now = onScreen.peek();
    if (now.first !== firstOnScreen || now.last !== lastOnScreen) onScreen.value = { first: firstOnScreen, last: lastOnScreen };
  });
  const counts = find.sameTextCounts.value;
  const selected = selection.selected.value;
  const inView = results.slice(start, end);
  slots.current = assignRowSlots(
    slots.current,
    inView.map((asset) => asset.id),
    lastFocus.current?.element.isConnected ? lastFocus.current.rowId : null,
  );
  // What the rows report, with this render's locale, selection and rows; the rows get stable
  // functions that call the latest of these, so a row renders again only when what it shows changed.
  const byId = new Map(inView.map((asset) => [asset.id, asset]));
  actions.current = {
    onType: (id, text) => edits.setDraft(id, localeId, text),
    onCommit: (id, move) => {
      if (!readOnly) void edits.save(id, localeId);
      const next = move && neighbour(id, move);
      if (next) focusAsset(next, 'alt');
    },
    onRevert: (id) => {
      edits.revert(id, localeId);
      workspace.announcer.say('Reverted to the saved alt text.');
    },
    onArrow: (id, move, field) => {
      const next = neighbour(id, move);
      if (next) focusAsset(next, field);
    },
    onUndo: () => void edits.undoLast(),
    onReplaceFile: (id, file) => {
      const asset = byId.get(id);
      if (asset) workspace.replace.open(asset, file);
    },
    onDecorative: (id, decorative) => {
      const asset = byId.get(id);
      const shownName = readableName(asset ? edits.nameOf(asset) : id);
      void edits
        .saveMany([{ assetId: id, localeId, after: decorative ? null : '' }], decorative ? `Mark ${shownName} decorative` : `Unmark ${shownName} decorative`)
        .then((saved) => saved && workspace.announcer.say(decorative ? `${shownName} is decorative.` : `${shownName} needs alt text.`, 'success'));
    },
    onSuggestion: (id, text) => {
      edits.setDraft(id, localeId, text);
      focusAsset(id, 'alt');
      workspace.announcer.say('Suggestion placed in the field: press Enter to save it, Esc to drop it.');
    },
    onSelect: (id, modifiers) => selection.click(id, modifiers, ids.value),
    onShowUses: (id) => workspace.usage.showDetails(id),
    onDragStart: (id, event) => {
      const dragged = selected.has(id) ? [...selected] : [id];
      event.dataTransfer?.setData(DRAG_TYPE, JSON.stringify(dragged));
      event.dataTransfer?.setData('text/plain', dragged.join(','));
    },
  };

  // The backend looks into the files of the rows in view that need alt text (each file once).
  const needSuggestions = inView
    .filter((asset) => isImageType(asset.contentType) && !edits.altText(asset, localeId) && edits.altText(asset, localeId) !== null)
    .map((asset) => asset.id)
    .join(' ');
  useEffect(() => {
    // Asked once the rows rest in view (not for rows that pass while typing or scrolling); the
    // locale goes along: a vision model, when configured, writes in its language.
    workspace.suggestions.inView(needSuggestions && !readOnly ? needSuggestions.split(' ') : [], localeId);
    return () => workspace.suggestions.inView([], localeId);
  }, [needSuggestions, readOnly, workspace, localeId]);

  return (
    <div
      class="grid"
      role="grid"
      aria-label="Assets"
      aria-rowcount={results.length + 1}
      aria-multiselectable="true"
      ref={scroller}
      onScroll={(event) => (scrollTop.value = event.currentTarget.scrollTop)}
      onFocusIn={(event) => {
        const element = event.target as HTMLElement;
        const rowId = element.closest<HTMLElement>('[data-row-id]')?.dataset.rowId;
        const field = element.dataset.field;
        lastFocus.current = rowId && field ? { element, rowId, field, index: ids.value.indexOf(rowId) } : null;
      }}
      onFocusOut={(event) => {
        const next = event.relatedTarget as Node | null;
        if (next && !event.currentTarget.contains(next)) lastFocus.current = null;
      }}
    >
      <div role="rowgroup" class="grid-header">
        <div role="row" aria-rowindex={1} style={{ display: 'contents' }}>
          <div role="columnheader">
            <input
              type="checkbox"
              aria-label={`Select all ${plural(results.length, 'asset')} in this filter`}
              checked={results.length > 0 && selected.size === results.length}
              indeterminate={selected.size > 0 && selected.size !== results.length}
              onChange={(event) => (event.currentTarget.checked ? selection.selectAll(ids.value) : selection.clear())}
            />
          </div>
          <div role="columnheader">
            <span class="visually-hidden">Preview</span>
          </div>
          <div role="columnheader" class="col-name">Name</div>
          <div role="columnheader">Alt text{localeId ? ` (${workspace.localeName.value})` : ''}</div>
          <div role="columnheader">
            <span class="decorative-label header-label">Decorative</span>
            <span class="narrow-only" aria-hidden="true">
              Dec.
            </span>
          </div>
        </div>
      </div>
      <p id={KEYS_HINT_ID} hidden>
        {KEYS_HINT}
      </p>
      {results.length === 0 ? (
        <div role="rowgroup">
          <div role="row">
            <div role="gridcell" class="empty">
              {emptyMessage(assets.assets.value.length, assets.refresh.value)}
            </div>
          </div>
        </div>
      ) : (
        <div role="rowgroup" style={{ height: `${results.length * ROW_HEIGHT}px`, position: 'relative' }}>
          {inView.map((asset, offset) => {
            const index = start + offset;
            const value = edits.altText(asset, localeId);
            const shown = value === undefined ? edits.altText(asset, null) : value;
            const isImage = isImageType(asset.contentType);
            const name = edits.nameOf(asset);
            // A locale without its own text shows the primary as a hint, not as findings of its own.
            const findings =
              value === undefined && localeId
                ? []
                : lintAltText(shown ?? null, asset, { sameTextCount: shown ? counts.get(normalizeAltText(shown)) : undefined });
            return (
              <MemoAssetRow
                key={slots.current.get(asset.id)}
                asset={asset}
                name={name}
                index={index}
                top={index * ROW_HEIGHT}
                onScreen={onScreen}
                thumbnails={workspace.thumbnails}
                selected={selected.has(asset.id)}
                readOnly={readOnly}
                isImage={isImage}
                folderName={folders.nameOf(edits.folderOf(asset))}
                usage={usageLine(usedBy?.get(asset.id), usedBy !== null, isImage)}
                compact={compact}
                value={value}
                primaryHint={localeId ? edits.altText(asset, null) : undefined}
                dirty={edits.hasDraft(asset.id, localeId)}
                findings={findings}
                suggestion={isImage && !value && value !== null ? workspace.suggestions.best(asset, localeId) : null}
                {...rowActions}
              />
            );
          })}
        </div>
      )}
    </div>
  );
}

/**
 * Why the grid is empty: the first read from Webflow is still on its way (a site just
 * installed), the site has no assets, or the search and filters leave none.
 */
function emptyMessage(siteAssets: number, refresh: RefreshState | null): string {
  if (siteAssets > 0) return 'No assets match. Clear the search or pick another filter.';
  if (refresh?.state === 'running') {
    const total = refresh.total !== null ? ` of ${formatCount(refresh.total)}` : '';
    return `Reading this site’s assets from Webflow… ${formatCount(refresh.done)}${total} so far.`;
  }
  return 'This site has no assets yet. Drop files anywhere on the panel to upload them.';
}

/** Row actions that stay the same functions and call whatever `latest` holds when called. */
function forwardActions(latest: { current: Required<RowActions> | null }): Required<RowActions> {
  const call =
    <K extends keyof RowActions>(key: K) =>
    (...args: Parameters<Required<RowActions>[K]>) =>
      (latest.current?.[key] as ((...a: Parameters<Required<RowActions>[K]>) => void) | undefined)?.(...args);
  return {
    onType: call('onType'),
    onCommit: call('onCommit'),
    onRevert: call('onRevert'),
    onArrow: call('onArrow'),
    onUndo: call('onUndo'),
    onReplaceFile: call('onReplaceFile'),
    onDecorative: call('onDecorative'),
    onSuggestion: call('onSuggestion'),
    onSelect: call('onSelect'),
    onShowUses: call('onShowUses'),
    onDragStart: call('onDragStart'),
  };
}
