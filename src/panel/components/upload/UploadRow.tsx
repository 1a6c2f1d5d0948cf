/** One file in the upload list: its state, progress, alt text and the actions that fit it. */
import { useEffect, useRef, useState } from 'preact/hooks';
import { formatBytes } from '../../../core/limits.ts';
import type { UploadItem, UploadStatus, UploadsModel } from '../../models/uploads.ts';
import { SuggestionChip } from '../../suggestions/SuggestionChip.tsx';
import { FieldForm } from '../field-form.tsx';

const STATUS_LABEL: Record<UploadStatus, string> = {
  refused: 'Not accepted',
  hashing: 'Reading',
  ready: 'Ready to upload',
  queued: 'Waiting',
  creating: 'Preparing',
  duplicate: 'Already on the site',
  sending: 'Uploading',
  completing: 'Finishing',
  done: 'Uploaded',
  skipped: 'Skipped',
  cancelled: 'Cancelled',
  failed: 'Failed',
};

const TONE: Partial<Record<UploadStatus, string>> = {
  refused: 'error',
  failed: 'error',
  duplicate: 'warning',
  done: 'success',
};

/** The alt text can change until the file is on its way to completion. */
const ALT_TEXT_EDITABLE: ReadonlySet<UploadStatus> = new Set(['hashing', 'ready', 'queued', 'creating', 'duplicate', 'sending', 'failed', 'cancelled']);

type PrimaryAction = { label: string; name: string; run(): void } | null;

function primaryAction(item: UploadItem, model: UploadsModel): PrimaryAction {
  const name = item.file.name;
  switch (item.status) {
    case 'ready':
      return { label: 'Upload', name: `Upload ${name}`, run: () => model.upload(item.id) };
    case 'hashing':
      // Pressing Upload while still reading sends the file as soon as it is hashed.
      return item.uploadRequested
        ? { label: 'Cancel', name: `Cancel ${name}`, run: () => model.cancel(item.id) }
        : { label: 'Upload', name: `Upload ${name}`, run: () => model.upload(item.id) };
    case 'queued':
    case 'creating':
    case 'sending':
      return { label: 'Cancel', name: `Cancel ${name}`, run: () => model.cancel(item.id) };
    case 'failed':
    case 'cancelled':
      return { label: 'Retry', name: `Retry ${name}`, run: () => model.retry(item.id) };
    default:
      return null;
  }
}

function useObjectUrl(file: File, wanted: boolean): string | null {
  const [url, setUrl] = useState<string | null>(null);
  useEffect(() => {
    if (!wanted || typeof URL.createObjectURL !== 'function') return;
    const created = URL.createObjectURL(file);
    setUrl(created);
    return () => URL.revokeObjectURL(created);
  }, [file, wanted]);
  return url;
}

/** A small picture, or the file's extension when there is none or it does not load (a damaged file, offline CDN). */
function Thumb({ url, fileName, small = false }: { url: string | null; fileName: string; small?: boolean }) {
  // Callers key this by URL, so a new picture starts afresh.
  const [failed, setFailed] = useState(false);
  if (url && !failed) return <img class={`upload-thumb${small ? ' small' : ''}`} src={url} alt="" onError={() => setFailed(true)} />;
  if (small) return null;
  return (
    <span class="upload-thumb file-icon" aria-hidden="true">
      {fileName.includes('.') ? fileName.split('.').pop() : 'file'}
    </span>
  );
}

export function UploadRow({ item, model, onRemove }: { item: UploadItem; model: UploadsModel; onRemove(id: string): void }) {
  const name = item.file.name;
  const preview = useObjectUrl(item.file, item.isImage && item.status !== 'refused');
  const action = primaryAction(item, model);
  const showProgress = item.status === 'hashing' || item.status === 'sending';
  const percent = Math.round(item.progress * 100);
  const removable = !['creating', 'sending', 'completing'].includes(item.status);
  const tone = TONE[item.status];
  const row = useRef<HTMLLIElement>(null);
  // Whether the designer was working in this row; kept when the focused control disappears.
  const focusInside = useRef(false);

  // Controls come and go with the state (Upload → Cancel → nothing → Remove): when the focused
  // one went away, put focus on what the row offers now instead of losing it to the page.
  useEffect(() => {
    const element = row.current;
    if (!element || !focusInside.current) return;
    const active = document.activeElement;
    if (active && active !== document.body && active !== element) return;
    element.querySelector<HTMLElement>('.row-actions button, .upload-choice button, input')?.focus();
  }, [item.status]);

  return (
    <li
      ref={row}
      class={`upload-row${tone ? ` ${tone}` : ''}`}
      onFocusIn={() => (focusInside.current = true)}
      onFocusOut={(event) => {
        const next = event.relatedTarget as Node | null;
        if (next && !row.current?.contains(next)) focusInside.current = false;
      }}
    >
      <Thumb key={preview ?? 'none'} url={preview} fileName={name} />
      <div class="upload-body">
        <div class="upload-head">
          <strong class="upload-name" title={name}>{name}</strong>
          <span class="upload-size">{formatBytes(item.file.size)}</span>
          <span class="upload-status">
            {STATUS_LABEL[item.status]}
            {showProgress && ` ${percent}%`}
            {item.status === 'hashing' && item.uploadRequested && ', then uploading'}
          </span>
        </div>
        {showProgress && (
          <progress
            class="upload-progress"
            max={100}
            value={percent}
            aria-label={`${item.status === 'hashing' ? 'Reading' : 'Uploading'} ${name}`}
          />
        )}
        {item.message && <p class="upload-message">{item.message}</p>}
        {item.status === 'duplicate' && item.existing && (
          <div class="upload-choice">
            <Thumb key={item.existing.thumbUrl ?? 'none'} url={item.existing.thumbUrl} fileName={item.existing.fileName} small />
            <button type="button" onClick={() => model.skipDuplicate(item.id)} aria-label={`Skip ${name}`}>
              Skip
            </button>
            <button type="button" onClick={() => model.uploadDuplicate(item.id)} aria-label={`Upload ${name} anyway`}>
              Upload anyway
            </button>
          </div>
        )}
        {item.isImage && ALT_TEXT_EDITABLE.has(item.status) && <UploadAltText item={item} model={model} />}
        {item.status === 'done' && item.asset && (
          <p class="upload-message">
            {item.asset.altText ? `Alt text: ${item.asset.altText}` : 'Uploaded without alt text: add it in the list above.'}
          </p>
        )}
      </div>
      <div class="row-actions">
        {action && (
          <button key="primary" type="button" aria-label={action.name} onClick={action.run}>
            {action.label}
          </button>
        )}
        {removable && (
          <button type="button" class="upload-remove" aria-label={`Remove ${name}`} title="Remove from the list" onClick={() => onRemove(item.id)}>
            ×
          </button>
        )}
      </div>
    </li>
  );
}

/**
 * The alt text an image is uploaded with. What the field holds is what is sent: a suggestion
 * (from the file's metadata or its name) is offered beside it (taken with one press, as in the grid), never put in
 * the field unasked, and an empty field says the image goes without alt text.
 */
function UploadAltText({ item, model }: { item: UploadItem; model: UploadsModel }) {
  const name = item.file.name;
  const empty = item.altText.trim() === '';
  const noteId = `upload-alt-note-${item.id}`;
  const field = useRef<HTMLInputElement>(null);
  return (
    <div class="upload-alt">
      <FieldForm>
        <input
          ref={field}
          type="text"
          aria-label={`Alt text for ${name}`}
          aria-describedby={noteId}
          placeholder="Describe the image"
          value={item.altText}
          maxLength={2000}
          onInput={(event) => model.setAltText(item.id, event.currentTarget.value)}
        />
      </FieldForm>
      <div class="hints">
        {empty && item.suggestion && (
          <SuggestionChip
            suggestion={item.suggestion}
            assetName={name}
            onUse={() => {
              model.useSuggestion(item.id);
              // Back to the field, to read or change the suggestion before uploading.
              field.current?.focus();
            }}
          />
        )}
        <span id={noteId} class={empty ? 'upload-alt-note missing' : 'upload-alt-note'}>
          {empty ? 'No alt text: the image will be uploaded without it.' : 'Sent as alt text with the upload.'}
        </span>
      </div>
    </div>
  );
}
