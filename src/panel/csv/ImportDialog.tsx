/**
 * Import alt text from a CSV file: pick or drop it, see what it would change (per locale, with
 * every row left out and why), choose what happens to unsaved edits in the grid, then apply it
 * as one journaled action that one undo takes back. Nothing is written before Apply.
 */
import { useSignal } from '@preact/signals';
import type { AltTextEdit } from '../models/edits.ts';
import { editKey } from '../models/edits.ts';
import { Dialog } from '../components/Dialog.tsx';
import { plural } from '../components/format.ts';
import type { Workspace } from '../workspace.ts';
import { importLabel, type ImportPreview, type RowNote } from '../../core/csv-import.ts';
import { readImport, type ImportFile } from './read-import.ts';

export interface ImportDialogProps {
  workspace: Workspace;
  onClose: () => void;
}

type Step = { kind: 'choose'; error: string | null } | { kind: 'reading'; fileName: string; rows: number } | { kind: 'preview'; fileName: string; preview: ImportPreview };

/** Rows listed per kind of note; the count says how many more there are. */
const LISTED = 100;

export function ImportDialog({ workspace, onClose }: ImportDialogProps) {
  const { assets, edits, announcer } = workspace;
  const step = useSignal<Step>({ kind: 'choose', error: null });
  const dragging = useSignal(false);
  const keepDrafts = useSignal(true);
  const skipInvalid = useSignal(false);
  // Where Webflow and the file both changed a value since the export, Webflow's stays unless chosen.
  const takeFile = useSignal(false);
  const applying = useSignal(false);

  async function read(file: ImportFile) {
    step.value = { kind: 'reading', fileName: file.name, rows: 0 };
    const target = { assets: assets.assets.value, locales: assets.locales.value, altText: edits.savedAltText, hasDraft: edits.hasDraft };
    const result = await readImport(file, target, (rows) => {
      if (step.value.kind === 'reading') step.value = { kind: 'reading', fileName: file.name, rows };
    });
    step.value = result.ok ? { kind: 'preview', fileName: file.name, preview: result.preview } : { kind: 'choose', error: result.reason };
  }

  const current = step.value;
  return (
    <Dialog title="Import alt text from CSV" onClose={onClose}>
      <div
        class="csv-dialog"
        onDragOver={(event) => {
          event.preventDefault();
          dragging.value = true;
        }}
        onDragLeave={() => (dragging.value = false)}
        onDrop={(event) => {
          event.preventDefault();
          dragging.value = false;
          const file = event.dataTransfer?.files[0];
          if (file && !applying.value && step.value.kind !== 'reading') void read(file);
        }}
      >
        {current.kind === 'choose' && (
          <div class={`csv-drop${dragging.value ? ' over' : ''}`}>
            <label class="field">
              CSV file
              <input
                type="file"
                accept=".csv,.tsv,.txt,text/csv"
                onChange={(event) => {
                  const file = event.currentTarget.files?.[0];
                  if (file) void read(file);
                }}
              />
            </label>
            <p class="hint">
              Or drop the file here. It needs an id (or url) column and alt text columns named like the export’s (alt:en, decorative:en, …); other
              columns are ignored. UTF-8, comma or semicolon separated. Nothing changes until you apply it.
            </p>
            {current.error && <p role="alert">{current.error}</p>}
          </div>
        )}
        {current.kind === 'reading' && <p role="status">Reading {current.fileName}: {plural(current.rows, 'row')} so far…</p>}
        {current.kind === 'preview' && (
          <PreviewView
            fileName={current.fileName}
            preview={current.preview}
            keepDrafts={keepDrafts.value}
            onKeepDrafts={(keep) => (keepDrafts.value = keep)}
            skipInvalid={skipInvalid.value}
            onSkipInvalid={(skip) => (skipInvalid.value = skip)}
            takeFile={takeFile.value}
            onTakeFile={(take) => (takeFile.value = take)}
          />
        )}
        <div class="actions">
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          {current.kind === 'preview' && (
            <>
              <button type="button" onClick={() => (step.value = { kind: 'choose', error: null })}>
                Choose another file
              </button>
              <ApplyButton
                preview={current.preview}
                disabled={applying.value || (hasLeftOut(current.preview) && !skipInvalid.value)}
                keepDrafts={keepDrafts.value}
                takeFile={takeFile.value}
                onApply={async (chosen) => {
                  applying.value = true;
                  const saved = await edits.saveMany(chosen, importLabel(current.fileName));
                  applying.value = false;
                  if (!saved) return; // the status bar says why; what was journaled stays journaled
                  announcer.say(`Imported ${plural(chosen.length, 'change')} from ${current.fileName}. Ctrl+Z undoes the import.`, 'success');
                  onClose();
                }}
              />
            </>
          )}
        </div>
      </div>
    </Dialog>
  );
}

function hasLeftOut(preview: ImportPreview): boolean {
  return preview.unknown.length + preview.duplicates.length + preview.problems.length > 0;
}

/** The changes to journal: all of them, or all but those over the designer's unsaved text; conflicts with Webflow when chosen. */
function chosenEdits(preview: ImportPreview, keepDrafts: boolean, takeFile: boolean): AltTextEdit[] {
  const clashing = keepDrafts ? new Set(preview.draftClashes.map((change) => editKey(change.assetId, change.localeId))) : new Set<string>();
  return [...preview.changes, ...(takeFile ? preview.conflicts : [])]
    .filter((change) => !clashing.has(editKey(change.assetId, change.localeId)))
    .map((change) => ({ assetId: change.assetId, localeId: change.localeId, after: change.after }));
}

function ApplyButton(props: { preview: ImportPreview; keepDrafts: boolean; takeFile: boolean; disabled: boolean; onApply: (edits: AltTextEdit[]) => Promise<void> }) {
  const chosen = chosenEdits(props.preview, props.keepDrafts, props.takeFile);
  return (
    <button type="button" class="primary" disabled={props.disabled || chosen.length === 0} onClick={() => void props.onApply(chosen)}>
      Apply {plural(chosen.length, 'change')}
    </button>
  );
}

interface PreviewViewProps {
  fileName: string;
  preview: ImportPreview;
  keepDrafts: boolean;
  onKeepDrafts: (keep: boolean) => void;
  skipInvalid: boolean;
  onSkipInvalid: (skip: boolean) => void;
  takeFile: boolean;
  onTakeFile: (take: boolean) => void;
}

function PreviewView({ fileName, preview, keepDrafts, onKeepDrafts, skipInvalid, onSkipInvalid, takeFile, onTakeFile }: PreviewViewProps) {
  const leftOut = preview.unknown.length + preview.duplicates.length + preview.problems.length;
  const clashes = preview.draftClashes.length;
  return (
    <>
      <p>
        {fileName}: {plural(preview.rows, 'row')} read. Nothing has changed yet.
      </p>
      <dl class="csv-counts">
        {preview.changesByLocale.map(({ locale, count }) => (
          <div key={locale.id} style={{ display: 'contents' }}>
            <dt>{locale.displayName}</dt>
            <dd>{plural(count, 'change')}</dd>
          </div>
        ))}
        <dt>Unchanged</dt>
        <dd>{plural(preview.unchanged, 'row')}</dd>
        <dt>Changed in Webflow since the export</dt>
        <dd>{plural(preview.keptWebflow, 'value')} kept as in Webflow</dd>
        <dt>Conflicts</dt>
        <dd>{plural(preview.conflicts.length, 'value')}</dd>
        <dt>Unknown assets</dt>
        <dd>{plural(preview.unknown.length, 'row')}</dd>
        <dt>Duplicate rows</dt>
        <dd>{plural(preview.duplicates.length, 'row')}</dd>
        <dt>Rows with problems</dt>
        <dd>{plural(preview.problems.length, 'row')}</dd>
      </dl>
      {preview.ignoredColumns.length > 0 && (
        <p role="note">
          Ignored {preview.ignoredColumns.length === 1 ? 'a column' : 'columns'} for {preview.ignoredColumns.length === 1 ? 'a locale' : 'locales'} this site
          does not have: {preview.ignoredColumns.join(', ')}.
        </p>
      )}
      <RowNotes title="Rows with problems" notes={preview.problems} />
      <RowNotes title="Unknown assets" notes={preview.unknown} />
      <RowNotes title="Duplicate rows" notes={preview.duplicates} />
      {preview.lint.length > 0 && (
        <details>
          <summary>The alt text review has notes on {plural(preview.lint.length, 'new alt text', 'new alt texts')}</summary>
          <ul class="csv-notes">
            {preview.lint.slice(0, LISTED).map((note) => (
              <li key={`${note.row}-${note.localeName}`}>
                Row {note.row}, {note.assetName} ({note.localeName}): {note.messages.join(' ')}
              </li>
            ))}
          </ul>
          {preview.lint.length > LISTED && <p class="hint">and {plural(preview.lint.length - LISTED, 'more')}.</p>}
        </details>
      )}
      {preview.conflicts.length > 0 && (
        <fieldset>
          <legend>Webflow and the file both changed {plural(preview.conflicts.length, 'value')} since the export</legend>
          <ul class="csv-notes" aria-label="Conflicts">
            {preview.conflicts.slice(0, LISTED).map((conflict) => (
              <li key={`${conflict.row}-${conflict.localeName}`}>
                Row {conflict.row}, {conflict.assetName} ({conflict.localeName}): Webflow has {quoted(conflict.current)}, the file {quoted(conflict.after)}
              </li>
            ))}
          </ul>
          {preview.conflicts.length > LISTED && <p class="hint">and {plural(preview.conflicts.length - LISTED, 'more')}.</p>}
          <label>
            <input type="checkbox" checked={takeFile} onChange={(event) => onTakeFile(event.currentTarget.checked)} /> Write the file’s text over Webflow’s in
            these (otherwise Webflow’s stays)
          </label>
        </fieldset>
      )}
      {clashes > 0 && (
        <fieldset>
          <legend>You have unsaved alt text in {plural(clashes, 'field')} this file changes</legend>
          <label>
            <input type="radio" name="csv-drafts" checked={keepDrafts} onChange={() => onKeepDrafts(true)} /> Keep my unsaved text (skip the file’s{' '}
            {plural(clashes, 'change')} there)
          </label>
          <label>
            <input type="radio" name="csv-drafts" checked={!keepDrafts} onChange={() => onKeepDrafts(false)} /> Use the file’s text (my unsaved text there is
            dropped)
          </label>
        </fieldset>
      )}
      {leftOut > 0 && (
        <label>
          <input type="checkbox" checked={skipInvalid} onChange={(event) => onSkipInvalid(event.currentTarget.checked)} /> Apply the other rows and leave out
          the {plural(leftOut, 'row')} listed above
        </label>
      )}
    </>
  );
}

function RowNotes({ title, notes }: { title: string; notes: RowNote[] }) {
  if (notes.length === 0) return null;
  return (
    <details open={notes.length <= 10}>
      <summary>
        {title}: {plural(notes.length, 'row')}, left out
      </summary>
      <ul class="csv-notes" aria-label={title}>
        {notes.slice(0, LISTED).map((note) => (
          <li key={note.row}>
            Row {note.row}: {note.reason}
          </li>
        ))}
      </ul>
      {notes.length > LISTED && <p class="hint">and {plural(notes.length - LISTED, 'more row')}.</p>}
    </details>
  );
}

/** A value as a conflict line shows it: decorative and "none of its own" in words. */
function quoted(value: string | null | undefined): string {
  if (value === undefined) return 'none of its own';
  if (value === null) return 'decorative';
  return `“${value.length > 60 ? `${value.slice(0, 59)}…` : value}”`;
}
