/**
 * Files dragged over the panel: an overlay over the whole panel says where they will go, and
 * a drop hands them over. Listens on the document so the grid and every other part of the
 * panel take drops, not only the upload area. The "Upload files" button is the keyboard path.
 */
import { useEffect, useRef, useState } from 'preact/hooks';

function carriesFiles(event: DragEvent): boolean {
  return Array.from(event.dataTransfer?.types ?? []).includes('Files');
}

export function DropOverlay({ targetName, onDrop }: { targetName: string | null; onDrop(files: File[]): void }) {
  const [active, setActive] = useState(false);
  // The latest callback, so the listeners (and the drag depth) survive re-renders.
  const latestOnDrop = useRef(onDrop);
  latestOnDrop.current = onDrop;

  useEffect(() => {
    // dragenter/dragleave fire for every child crossed; a depth count tells when the drag left.
    let depth = 0;
    const enter = (event: DragEvent) => {
      if (!carriesFiles(event)) return;
      depth += 1;
      setActive(true);
    };
    const over = (event: DragEvent) => {
      if (!carriesFiles(event)) return;
      event.preventDefault(); // without this the browser opens the file instead of dropping it here
      if (event.dataTransfer) event.dataTransfer.dropEffect = 'copy';
    };
    const leave = (event: DragEvent) => {
      if (!carriesFiles(event)) return;
      depth = Math.max(0, depth - 1);
      if (depth === 0) setActive(false);
    };
    const drop = (event: DragEvent) => {
      if (!carriesFiles(event) && !(event.dataTransfer?.files.length)) return;
      // Taken already: one file dropped on an asset's row replaces its file (src/panel/replace/).
      const taken = event.defaultPrevented;
      event.preventDefault();
      depth = 0;
      setActive(false);
      if (taken) return;
      const files = Array.from(event.dataTransfer?.files ?? []);
      if (files.length > 0) latestOnDrop.current(files);
    };
    document.addEventListener('dragenter', enter);
    document.addEventListener('dragover', over);
    document.addEventListener('dragleave', leave);
    document.addEventListener('drop', drop);
    return () => {
      document.removeEventListener('dragenter', enter);
      document.removeEventListener('dragover', over);
      document.removeEventListener('dragleave', leave);
      document.removeEventListener('drop', drop);
    };
  }, []);

  if (!active) return null;
  return (
    <div class="upload-drop-overlay" aria-hidden="true">
      <p>Drop files to upload to {targetName ? `“${targetName}”` : 'the top level'}</p>
    </div>
  );
}
