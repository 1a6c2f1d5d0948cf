/**
 * The upload panel: a picker ("Upload files"), a drop zone over the whole panel, the target
 * folder, and one row per file with its check, hashing, duplicate choice, progress, alt text
 * and errors. State lives in the uploads model; this only shows it and calls its actions.
 */
import { useEffect, useMemo, useRef } from 'preact/hooks';
import type { Folder } from '../../../core/api.ts';
import type { UploadsModel } from '../../models/uploads.ts';
import { plural } from '../format.ts';
import { DropOverlay } from './DropOverlay.tsx';
import { UploadAnnouncer } from './UploadAnnouncer.tsx';
import { UploadRow } from './UploadRow.tsx';
import './upload.css';

export interface UploadPanelProps {
  model: UploadsModel;
  folders: readonly Folder[];
  /** Why uploading is not possible (a read-only panel); null or absent when it is. */
  disabledReason?: string | null;
  /** Take files dropped anywhere on the panel (default), not only on the upload area. */
  dropAnywhere?: boolean;
}

/** Folders depth-first, children by name, with their depth for indenting the options. */
export function folderOptions(folders: readonly Folder[]): { folder: Folder; depth: number }[] {
  const known = new Set(folders.map((folder) => folder.id));
  const children = new Map<string | null, Folder[]>();
  for (const folder of folders) {
    const parent = folder.parentId !== null && known.has(folder.parentId) ? folder.parentId : null;
    children.set(parent, [...(children.get(parent) ?? []), folder]);
  }
  const options: { folder: Folder; depth: number }[] = [];
  const seen = new Set<string>();
  const visit = (parent: string | null, depth: number): void => {
    for (const folder of [...(children.get(parent) ?? [])].sort((a, b) => a.name.localeCompare(b.name))) {
      if (seen.has(folder.id)) continue; // a cycle in bad data must not loop forever
      seen.add(folder.id);
      options.push({ folder, depth });
      visit(folder.id, depth + 1);
    }
  };
  visit(null, 0);
  return options;
}

export function UploadPanel({ model, folders, disabledReason = null, dropAnywhere = true }: UploadPanelProps) {
  const picker = useRef<HTMLInputElement>(null);
  const pickButton = useRef<HTMLButtonElement>(null);
  const list = useRef<HTMLUListElement>(null);
  const items = model.items.value;
  const summary = model.summary.value;
  const options = useMemo(() => folderOptions(folders), [folders]);
  const disabled = disabledReason !== null;
  // Said beside "Upload all", so a drop of many files does not go without alt text unnoticed.
  const withoutAltText = items.filter((item) => item.isImage && !item.uploadRequested && (item.status === 'hashing' || item.status === 'ready') && !item.altText.trim()).length;
  const finished = items.some((item) => item.status === 'done' || item.status === 'skipped' || item.status === 'refused');
  const targetName = folders.find((folder) => folder.id === model.targetFolderId.value)?.name ?? null;

  // A target folder that was deleted falls back to the top level rather than failing uploads.
  useEffect(() => {
    const target = model.targetFolderId.value;
    if (target !== null && !folders.some((folder) => folder.id === target)) model.targetFolderId.value = null;
  }, [folders]);

  function addFiles(files: FileList | File[] | null) {
    if (disabled || !files || files.length === 0) return;
    model.addFiles(Array.from(files));
  }

  /** After a row goes away, keep focus in the list (the next row) or on the picker. */
  function removeRow(id: string) {
    const index = items.findIndex((item) => item.id === id);
    model.remove(id);
    requestAnimationFrame(() => {
      const rows = list.current?.querySelectorAll<HTMLElement>('li .row-actions button');
      const next = rows?.[Math.min(index, rows.length - 1)];
      (next ?? pickButton.current)?.focus();
    });
  }

  return (
    <div class="upload-panel">
      <div class="upload-toolbar">
        <button
          type="button"
          ref={pickButton}
          class="primary"
          disabled={disabled}
          title={disabledReason ?? 'Pick files, or drop them anywhere on the panel'}
          onClick={() => picker.current?.click()}
        >
          Upload files
        </button>
        <input
          ref={picker}
          type="file"
          multiple
          hidden
          aria-label="Choose files to upload"
          onChange={(event) => {
            const input = event.currentTarget;
            addFiles(input.files);
            input.value = ''; // picking the same file again must fire change again
          }}
        />
        <label class="upload-target">
          <span>
            <span class="label-lead">Upload </span>to
          </span>
          <select
            aria-label="Upload to folder"
            value={model.targetFolderId.value ?? ''}
            onChange={(event) => (model.targetFolderId.value = event.currentTarget.value || null)}
          >
            <option value="">Top level</option>
            {options.map(({ folder, depth }) => (
              <option key={folder.id} value={folder.id}>
                {'\u00a0\u00a0'.repeat(depth) + folder.name}
              </option>
            ))}
          </select>
        </label>
        {items.length === 0 && !disabled && <span class="upload-note">or drop files anywhere on the panel</span>}
        {summary.waiting > 0 && (
          <button
            type="button"
            disabled={disabled}
            onClick={() => {
              model.uploadAll();
              // This button goes away once nothing waits: keep focus in the list.
              requestAnimationFrame(() => {
                if (document.activeElement === document.body || !document.activeElement?.isConnected) {
                  (list.current?.querySelector<HTMLElement>('.row-actions button') ?? pickButton.current)?.focus();
                }
              });
            }}
          >
            Upload all ({summary.waiting})
          </button>
        )}
        {summary.waiting > 0 && withoutAltText > 0 && <span class="upload-note missing">{plural(withoutAltText, 'image')} without alt text</span>}
        {finished && (
          <button type="button" onClick={() => { model.clearFinished(); pickButton.current?.focus(); }}>
            Clear finished
          </button>
        )}
      </div>
      {disabledReason && <p class="upload-note">{disabledReason}</p>}
      {summary.progress !== null && (
        <div class="upload-total">
          <progress aria-label="All uploads" max={1} value={summary.progress} />
          <span>
            {summary.done} of {plural(summary.requested, 'file')} uploaded · {Math.floor(summary.progress * 100)}%
          </span>
        </div>
      )}
      {items.length > 0 && (
        <ul class="upload-list" ref={list} aria-label="Upload queue">
          {items.map((item) => (
            <UploadRow key={item.id} item={item} model={model} onRemove={removeRow} />
          ))}
        </ul>
      )}
      <UploadAnnouncer items={items} />
      {dropAnywhere && !disabled && <DropOverlay targetName={targetName} onDrop={addFiles} />}
    </div>
  );
}
