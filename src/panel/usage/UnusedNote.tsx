/**
 * Beside the Unused filter, while it is chosen: what "unused" rests on (the sources read and
 * when), that it is not safe for deleting while the site's styles were never read, and in a
 * small disclosure, everything Asset Desk cannot see.
 */
import type { Workspace } from '../workspace.ts';
import { unusedNote } from './wording.ts';

export function UnusedNote({ workspace }: { workspace: Workspace }) {
  const sources = workspace.usage.sources.value;
  if (workspace.find.usage.value !== 'unused' || !workspace.usage.built.value || !sources) return null;
  const note = unusedNote(sources);
  return (
    <div class="notice unused-note" role="note" aria-label="What unused means">
      <p>{note.line}</p>
      {note.warning && (
        <p>
          <strong>{note.warning}</strong>
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
