/**
 * Says each file's outcome in a polite live region (uploaded, refused, failed, duplicate…), so
 * a screen-reader user hears what happened without hunting for it in the list.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import type { UploadItem, UploadStatus } from '../../models/uploads.ts';

const OUTCOME: Partial<Record<UploadStatus, (item: UploadItem) => string>> = {
  refused: (item) => item.message ?? `${item.file.name} was refused.`,
  ready: (item) => `${item.file.name} is ready to upload.`,
  duplicate: (item) => `${item.message ?? `${item.file.name} is already on the site.`} Skip it or upload it anyway.`,
  done: (item) => `${item.file.name} uploaded.`,
  failed: (item) => item.message ?? `${item.file.name} failed.`,
  cancelled: (item) => `${item.file.name} cancelled.`,
};

export function UploadAnnouncer({ items }: { items: readonly UploadItem[] }) {
  const seen = useRef(new Map<string, UploadStatus>());
  const [message, setMessage] = useState('');

  useEffect(() => {
    const said: string[] = [];
    const next = new Map<string, UploadStatus>();
    for (const item of items) {
      next.set(item.id, item.status);
      if (seen.current.get(item.id) === item.status) continue;
      const outcome = OUTCOME[item.status];
      if (outcome) said.push(outcome(item));
    }
    seen.current = next;
    if (said.length > 0) setMessage(said.join(' '));
  }, [items]);

  return (
    <p class="visually-hidden" role="status" aria-live="polite">
      {message}
    </p>
  );
}
