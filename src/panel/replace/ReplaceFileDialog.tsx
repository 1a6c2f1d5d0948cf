/**
 * The before/after preview of a file replacement: the asset's file now (thumbnail, name, size,
 * type) beside the new one, with why it cannot replace it when it cannot (over Webflow's limit,
 * another kind of file, the same file). Replace journals it; the Designer sets it.
 */
import { useEffect, useMemo } from 'preact/hooks';
import { isImageType } from '../../core/alt-lint.ts';
import { EXTENSIONS, formatBytes, kindOf } from '../../core/limits.ts';
import { readableName } from '../../core/display-name.ts';
import { Dialog } from '../components/Dialog.tsx';
import { typeLabel } from '../components/format.ts';
import type { Workspace } from '../workspace.ts';
import type { Replacement } from './model.ts';
import './replace.css';

export function ReplaceFileDialog({ workspace, replacement }: { workspace: Workspace; replacement: Replacement }) {
  const model = workspace.replace;
  const { asset, file, state, message } = replacement;
  const name = readableName(asset.name);
  const kind = kindOf(asset.fileName);
  const accept = kind ? EXTENSIONS[kind].map((ext) => `.${ext}`).join(',') : undefined;
  // The new file's own preview, while the dialog shows it.
  const newUrl = useMemo(() => (file && isImageType(file.type) && typeof URL.createObjectURL === 'function' ? URL.createObjectURL(file) : null), [file]);
  useEffect(() => () => void (newUrl && URL.revokeObjectURL(newUrl)), [newUrl]);

  async function submit(event: Event) {
    event.preventDefault();
    await model.confirm();
  }

  return (
    <Dialog title={`Replace the file of ${name}`} onClose={() => model.close()}>
      <form onSubmit={submit} style={{ display: 'contents' }}>
        <p class="replace-note">Every page and CMS item that shows {name} will show the new file; Undo puts this one back.</p>
        <div class="replace-compare">
          <figure aria-label="Current file">
            <figcaption>Now</figcaption>
            {asset.thumbUrl ? <img src={asset.thumbUrl} alt="" width={96} height={96} /> : <span class="doc-icon" aria-hidden="true">{typeLabel(asset.fileName, asset.contentType).slice(0, 4)}</span>}
            <Facts name={asset.fileName} size={asset.size} type={asset.contentType} />
          </figure>
          <figure aria-label="New file">
            <figcaption>After</figcaption>
            {file ? (
              <>
                {newUrl ? <img src={newUrl} alt="" width={96} height={96} /> : <span class="doc-icon" aria-hidden="true">{typeLabel(file.name, file.type).slice(0, 4)}</span>}
                <Facts name={file.name} size={file.size} type={file.type || 'unknown'} />
              </>
            ) : (
              <p class="replace-empty">No file chosen yet.</p>
            )}
          </figure>
        </div>
        <label class="field">
          {file ? 'Choose another file' : 'Choose the new file'}
          <input
            type="file"
            accept={accept}
            disabled={state === 'sending'}
            onChange={(event) => {
              const chosen = event.currentTarget.files?.[0];
              if (chosen) void model.choose(chosen);
            }}
          />
        </label>
        {state === 'hashing' && (
          <p class="replace-progress">
            <label>
              Checking {file?.name}… <progress value={replacement.progress} max={1} />
            </label>
          </p>
        )}
        {message && (
          <p role="alert" class="replace-problem">
            {message}
          </p>
        )}
        <div class="actions">
          <button type="button" onClick={() => model.close()}>
            Cancel
          </button>
          <button type="submit" class="primary" disabled={state !== 'ready' || workspace.readOnly}>
            {state === 'sending' ? 'Replacing…' : 'Replace file'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}

/** One side of the comparison in words: name, size, type. */
function Facts({ name, size, type }: { name: string; size: number; type: string }) {
  return (
    <dl class="values">
      <dt>Name</dt>
      <dd>{name}</dd>
      <dt>Size</dt>
      <dd>{formatBytes(size)}</dd>
      <dt>Type</dt>
      <dd>{type}</dd>
    </dl>
  );
}
