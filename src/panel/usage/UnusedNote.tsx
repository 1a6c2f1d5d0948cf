/**
 * Beside the Unused filter, while it is chosen: what "unused" rests on (the sources read and
 * when), that it is not safe for deleting while the site's styles were never read, and in a
 * small disclosure, everything Asset Desk cannot see. Where the Designer has styles, a button
 * reads them again (they are read when the panel opens too), and the read's outcome shows here.
 */
import type { Workspace } from '../workspace.ts';
import { unusedNote } from './wording.ts';

export function UnusedNote({ workspace }: { workspace: Workspace }) {
  const sources = workspace.usage.sources.value;
  if (workspace.find.usage.value !== 'unused' || !workspace.usage.built.value || !sources) return null;
  const note = unusedNote(sources);
  const reader = workspace.stylesReader;
  const reading = reader.state.value === 'reading';
  return (
    <div class="notice unused-note" role="note" aria-label="What unused means">
      <p>{note.line}</p>
      {note.warning && (
        <p>
          <strong>{note.warning}</strong>
        </p>
      )}
      {/* Not disabled while reading: a click joins the read, and focus stays on the button. */}
      {reader.available && (
        <p>
          <button type="button" onClick={() => void reader.read()} aria-busy={reading}>
            {reading ? 'Reading styles…' : reader.state.value === 'idle' ? 'Read styles' : 'Read styles again'}
          </button>{' '}
          {reader.message.value && <span role={reader.state.value === 'failed' ? 'alert' : 'status'}>{reader.message.value}</span>}
        </p>
      )}
      <details>
        <summary>What was read, and what cannot be seen</summary>
        <ul>
          {note.details.map((line) => (
            <li key={line}>{line}</li>
          ))}
        </ul>
      </details>
    </div>
  );
}
