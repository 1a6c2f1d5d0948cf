/**
 * One asset in the grid: thumbnail, name and facts, the alt-text field for the current locale
 * with its lint findings and suggestion, and the decorative switch. Keyboard-first: the grid
 * decides where Enter, Shift+Enter and the arrows go; the row reports what was pressed.
 */
import type { ReadonlySignal } from '@preact/signals';
import { Component } from 'preact';
import type { AltText, IndexedAsset } from '../../core/api.ts';
import type { LintFinding } from '../../core/alt-lint.ts';
import { readableName } from '../../core/display-name.ts';
import type { Suggestion } from '../../core/suggestions/sources.ts';
import { SuggestionChip } from '../suggestions/SuggestionChip.tsx';
import { KEYS_HINT_ID } from './keys.ts';
import { formatBytes, typeLabel } from './format.ts';
import { FieldForm } from './field-form.tsx';
import type { ThumbnailFiles } from '../thumbnails/files.ts';
import { useThumbnail, type OnScreen } from '../thumbnails/thumbnails.ts';

export type Move = 'next' | 'previous';

/** What a row shows. */
export interface AssetRowData {
  asset: IndexedAsset;
  /** The display name, a rename on its way included (shown without Webflow's id prefix; whole on hover). */
  name: string;
  /** Position in the current filter, 0-based. */
  index: number;
  top: number;
  /** The grid's rows on screen, which rank the thumbnail's turn to load (thumbnails.ts): the same signal for every row. */
  onScreen: ReadonlySignal<OnScreen>;
  /** Where thumbnails come from (the backend's small ones, or the CDN's files): the same for every row. */
  thumbnails: ThumbnailFiles;
  selected: boolean;
  readOnly: boolean;
  isImage: boolean;
  folderName: string;
  /** Where it is used ("2 pages · 12 CMS items", "Not used"); null until the usage index is built. */
  usage: string | null;
  /**
   * The compact layout (Webflow's 240 and 320 px panels) hides the facts column: the usage's
   * button ("Where used") then ends the hints' line below the field. The same for every row.
   */
  compact: boolean;
  /** The field's value: undefined when the locale has no alt text of its own. */
  value: AltText | undefined;
  /** The primary locale's alt text, shown as a hint in a locale without its own. */
  primaryHint: AltText | undefined;
  dirty: boolean;
  findings: LintFinding[];
  /** The best suggestion for the field, offered beside it with its source; null for none. */
  suggestion: Suggestion | null;
}

/** What a row reports: the grid keeps these the same functions from render to render (see {@link MemoAssetRow}). */
export interface RowActions {
  onType(assetId: string, value: string): void;
  onCommit(assetId: string, move: Move | null): void;
  onRevert(assetId: string): void;
  onArrow(assetId: string, move: Move, field: string): void;
  onUndo(): void;
  onDecorative(assetId: string, decorative: boolean): void;
  onSuggestion(assetId: string, text: string): void;
  onSelect(assetId: string, modifiers: { shift: boolean; toggle: boolean }): void;
  onDragStart(assetId: string, event: DragEvent): void;
  /** Opens the list of every use ("Where used"). */
  onShowUses(assetId: string): void;
  /** One file dropped on the row: replace this asset's file with it (src/panel/replace/). */
  onReplaceFile?(assetId: string, file: File): void;
}

export type AssetRowProps = AssetRowData & RowActions;

const carriesFiles = (event: DragEvent) => Array.from(event.dataTransfer?.types ?? []).includes('Files');

export function AssetRow(props: AssetRowProps) {
  const { asset, value, readOnly } = props;
  const fullName = props.name;
  const name = readableName(fullName);
  const decorative = value === null;
  const thumbnail = useThumbnail(asset, props.index, props.onScreen, props.thumbnails);
  const findingId = `lint-${asset.id}`;
  const usageId = `uses-${asset.id}`;
  const meta = `${typeLabel(asset.fileName, asset.contentType)} · ${formatBytes(asset.size)} · ${props.folderName}`;
  const describedBy = [props.findings.length > 0 ? findingId : '', props.usage ? usageId : '', KEYS_HINT_ID].filter(Boolean).join(' ');
  // In one place only, by layout: the facts' line, or (compact) the end of the hints' line.
  const usesButton = props.usage && (
    <button type="button" class="link uses-button" aria-label={`${props.usage}: where ${name} is used`} onClick={() => props.onShowUses(asset.id)}>
      {props.usage}
    </button>
  );
  const placeholder = decorative
    ? 'Decorative: no alt text'
    : value === undefined && props.primaryHint
      ? `Primary: ${props.primaryHint}`
      : props.isImage
        ? 'Describe this image'
        : 'Optional for documents';

  function onKeyDown(event: KeyboardEvent) {
    const field = (event.currentTarget as HTMLElement).dataset.field ?? 'alt';
    if (field !== 'alt' && event.key !== 'ArrowDown' && event.key !== 'ArrowUp') return;
    if (event.key === 'Enter') {
      event.preventDefault();
      props.onCommit(asset.id, event.shiftKey ? 'previous' : 'next');
    } else if (event.key === 'Escape' && props.dirty) {
      event.preventDefault();
      event.stopPropagation();
      props.onRevert(asset.id);
    } else if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      props.onArrow(asset.id, event.key === 'ArrowDown' ? 'next' : 'previous', field);
    } else if ((event.ctrlKey || event.metaKey) && !event.shiftKey && event.key.toLowerCase() === 'z' && !props.dirty) {
      // With unsaved typing, Ctrl+Z is the field's own undo; otherwise it undoes the last batch.
      event.preventDefault();
      props.onUndo();
    }
  }

  function onRowClick(event: MouseEvent) {
    const target = event.target as HTMLElement;
    if (target.closest('input, button, label')) return;
    props.onSelect(asset.id, { shift: event.shiftKey, toggle: event.ctrlKey || event.metaKey });
  }

  return (
    <div
      role="row"
      class="asset-row"
      aria-rowindex={props.index + 2}
      aria-selected={props.selected}
      data-row-id={asset.id}
      style={{ top: `${props.top}px` }}
      onClick={onRowClick}
      // One file dropped on a row replaces its file; several go on to the panel's upload.
      onDragOver={(event) => {
        if (readOnly || !props.onReplaceFile || !carriesFiles(event)) return;
        event.preventDefault();
        event.currentTarget.classList.add('replace-target');
      }}
      onDragLeave={(event) => event.currentTarget.classList.remove('replace-target')}
      onDrop={(event) => {
        event.currentTarget.classList.remove('replace-target');
        const files = event.dataTransfer?.files;
        const file = files?.[0];
        if (readOnly || !props.onReplaceFile || files?.length !== 1 || !file) return;
        // Prevented, not stopped: the upload overlay still hears the drop ended, and leaves the file be.
        event.preventDefault();
        props.onReplaceFile(asset.id, file);
      }}
    >
      <div role="gridcell">
        <input
          type="checkbox"
          aria-label={`Select ${name}`}
          checked={props.selected}
          data-field="select"
          onKeyDown={onKeyDown}
          onClick={(event) =>
            props.onSelect(asset.id, { shift: event.shiftKey, toggle: !event.shiftKey || event.ctrlKey || event.metaKey })
          }
        />
      </div>
      <div role="gridcell" draggable={!readOnly} onDragStart={(event) => props.onDragStart(asset.id, event)}>
        {thumbnail.src ? (
          // Keyed by its file: a row handed to another asset must not show the last one's image while the new one loads.
          <img key={thumbnail.src} class="thumb" src={thumbnail.src} alt="" decoding="async" width={40} height={40} onLoad={thumbnail.onLoad} onError={thumbnail.onError} />
        ) : asset.thumbUrl ? (
          <span class="thumb thumb-waiting" aria-hidden="true" />
        ) : (
          <span class="doc-icon" aria-hidden="true">
            {typeLabel(asset.fileName, asset.contentType).slice(0, 4)}
          </span>
        )}
      </div>
      <div role="gridcell" class="name">
        <strong title={fullName}>{name}</strong>
        {/* One line at the row's fixed height: the usage follows the facts, and the whole line is on hover when cut. */}
        <span class="meta" title={props.usage ? `${meta} · ${props.usage}` : meta}>
          {meta}
          {props.usage && !props.compact && (
            <span class="uses">
              {' · '}
              {usesButton}
            </span>
          )}
        </span>
      </div>
      <div role="gridcell" class="alt-cell">
        {/* In the narrow layout the facts column is hidden: the usage goes on the name's hover and the field's description. */}
        {props.usage && (
          <span id={usageId} hidden>
            {`Where used: ${props.usage}`}
          </span>
        )}
        <span class="compact-name" aria-hidden="true" title={props.usage ? `${fullName} · ${props.usage}` : fullName}>
          {name}
        </span>
        <FieldForm>
          <input
            type="text"
            class={`${props.dirty ? 'draft' : ''} ${decorative ? 'decorative' : ''}`}
            aria-label={`Alt text for ${name}`}
            aria-describedby={describedBy}
            aria-invalid={props.findings.length > 0 ? true : undefined}
            data-field="alt"
            value={value ?? ''}
            placeholder={placeholder}
            readOnly={readOnly}
            maxLength={2000}
            onInput={(event) => props.onType(asset.id, event.currentTarget.value)}
            onKeyDown={onKeyDown}
          />
        </FieldForm>
        <div class="hints">
          {props.findings.length > 0 && (
            <span class="lint" id={findingId} title={props.findings.map((finding) => `${finding.message} ${finding.fix}`).join('\n')}>
              {props.findings.map((finding) => `${finding.message} ${finding.fix}`).join(' · ')}
            </span>
          )}
          {props.suggestion && !readOnly && (
            <SuggestionChip suggestion={props.suggestion} assetName={name} onUse={(text) => props.onSuggestion(asset.id, text)} />
          )}
          {props.usage && props.compact && usesButton}
        </div>
      </div>
      <div role="gridcell">
        <label class="decorative-toggle">
          <input
            type="checkbox"
            aria-label={`Decorative: ${name}`}
            checked={decorative}
            disabled={readOnly || !props.isImage}
            data-field="decorative"
            onKeyDown={onKeyDown}
            onChange={(event) => props.onDecorative(asset.id, event.currentTarget.checked)}
          />
          <span class="decorative-label" aria-hidden="true">
            Decorative
          </span>
        </label>
      </div>
    </div>
  );
}

const sameFindings = (a: LintFinding[], b: LintFinding[]) => a.length === b.length && a.every((finding, i) => finding.code === b[i]?.code && finding.message === b[i]?.message);

const sameSuggestion = (a: Suggestion | null, b: Suggestion | null) =>
  a === b || (a !== null && b !== null && a.text === b.text && a.source === b.source && a.confidence === b.confidence && a.localeId === b.localeId && a.detail === b.detail);

/** True when a row would render the same: its actions the same functions, its findings and suggestion the same words. */
export function sameRowProps(a: AssetRowProps, b: AssetRowProps): boolean {
  const keys = Object.keys(b) as (keyof AssetRowProps)[];
  if (keys.length !== Object.keys(a).length) return false;
  return keys.every((key) => {
    if (a[key] === b[key]) return true;
    if (key === 'findings') return sameFindings(a.findings, b.findings);
    if (key === 'suggestion') return sameSuggestion(a.suggestion, b.suggestion);
    return false;
  });
}

/**
 * A row that renders only when what it shows changed. Typing in one alt-text field changes the
 * drafts, and the grid renders again; without this, every row in view did too (a keystroke in
 * one field cost as much as one in the search box).
 */
export class MemoAssetRow extends Component<AssetRowProps> {
  override shouldComponentUpdate(next: AssetRowProps): boolean {
    return !sameRowProps(this.props, next);
  }

  override render() {
    return <AssetRow {...this.props} />;
  }
}
