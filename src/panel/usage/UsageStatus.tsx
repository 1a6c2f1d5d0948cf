/** The status bar's word on the usage crawl: its progress, a re-install it needs, or its failure. */
import type { Workspace } from '../workspace.ts';
import { crawlMessage, type CrawlTone } from './wording.ts';

const TONE_CLASS: Record<CrawlTone, string> = { progress: '', notice: 'notice', failed: 'failed' };

export function UsageStatus({ workspace }: { workspace: Workspace }) {
  const message = crawlMessage(workspace.usage.crawl.value);
  const error = workspace.usage.error.value;
  return (
    <>
      {message && (
        <span class={`usage-status ${TONE_CLASS[message.tone]}`} title={message.text}>
          {message.text}
        </span>
      )}
      {error && (
        <span class="usage-status failed" title={error}>
          {error}
        </span>
      )}
    </>
  );
}
