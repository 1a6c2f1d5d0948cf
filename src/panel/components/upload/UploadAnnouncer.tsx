/**
 * Says each file's outcome in a polite live region (uploaded, refused, failed, duplicate…), so
 * a screen-reader user hears what happened without hunting for it in the list.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import type { UploadItem, UploadStatus } from '../../models/uploads.ts';

/** Said per file; when many files reach the same state at once, GROUPED says it once. */
const OUTCOME: Partial<Record<UploadStatus, (item: UploadItem) => string>> = {
  refused: (item) => item.message ?? `${item.file.name} was refused.`,
  ready: (item) => `${item.file.name} is ready to upload.`,
  duplicate: (item) => `${item.message ?? `${item.file.name} is already on the site.`} Skip it or upload it anyway.`,
  done: (item) => `${item.file.name} uploaded.`,
  failed: (item) => item.message ?? `${item.file.name} failed.`,
  cancelled: (item) => `${item.file.name} cancelled.`,
};

const GROUPED: Partial<Record<UploadStatus, (count: number) => string>> = {
  refused: (count) => `${count} files are not accepted; each says why.`,
  ready: (count) => `${count} files are ready to upload.`,
  duplicate: (count) => `${count} files are already on the site: skip them or upload them anyway.`,
  done: (count) => `${count} files uploaded.`,
  failed: (count) => `${count} files failed; each says why and can be retried.`,
  cancelled: (count) => `${count} files cancelled.`,
};

/** More files than this reaching one state at once are announced as a count. */
const MAX_NAMED = 3;

export function UploadAnnouncer({ items }: { items: readonly UploadItem[] }) {
  const seen = useRef(new Map<string, UploadStatus>());
  const [message, setMessage] = useState('');

  useEffect(() => {
    const changed = new Map<UploadStatus, UploadItem[]>();
    const next = new Map<string, UploadStatus>();
    for (const item of items) {
      next.set(item.id, item.status);
      if (seen.current.get(item.id) === item.status || !OUTCOME[item.status]) continue;
      changed.set(item.status, [...(changed.get(item.status) ?? []), item]);
    }
    seen.current = next;
    const said: string[] = [];
    for (const [status, group] of changed) {
      const grouped = GROUPED[status];
      if (group.length > MAX_NAMED && grouped) said.push(grouped(group.length));
      else for (const item of group) said.push((OUTCOME[status] as (item: UploadItem) => string)(item));
    }
    if (said.length > 0) setMessage(said.join(' '));
  }, [items]);

  return (
    <p class="visually-hidden" role="status" aria-live="polite">
      {message}
    </p>
  );
}
