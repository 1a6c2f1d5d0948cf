/** The usage filter (Unused, Used without alt text) with its counts; offered once the usage index is built. */
import type { UsageFilter } from '../find/query.ts';
import type { Workspace } from '../workspace.ts';
import { formatCount } from '../components/format.ts';

const USAGE_LABELS: Record<UsageFilter, string> = {
  all: 'Used or not',
  unused: 'Unused images',
  missingAlt: 'Used without alt text',
};

/** Why the filter is not offered yet, in its title. */
function notYet(workspace: Workspace): string {
  const crawl = workspace.usage.crawl.value;
  if (crawl?.state === 'needs_scopes') return 'Install Asset Desk again to see where assets are used';
  if (crawl?.state === 'failed') return 'Where assets are used could not be read; see the status bar';
  return 'Available once Asset Desk has read the site’s pages and CMS';
}

/** The title once built: what is read, and while styles never were, that Unused is not safe for deleting. */
function readSoFar(workspace: Workspace): string {
  const styles = workspace.usage.sources.value?.read.find((s) => s.source === 'styles')?.readAt ?? null;
  const base = 'Where the asset is used: pages, components on pages, CMS items and links in CMS values';
  return styles ? `${base}, styles’ background images` : `${base}. Styles have never been read: “Unused images” is not safe for deleting`;
}

export function UsageFilterSelect({ workspace }: { workspace: Workspace }) {
  const { find, usage } = workspace;
  const built = usage.built.value;
  const counts = find.counts.value.usage;
  return (
    <select
      class="foldable"
      aria-label="Usage"
      title={built ? readSoFar(workspace) : notYet(workspace)}
      disabled={!built}
      value={built ? find.usage.value : 'all'}
      onChange={(event) => (find.usage.value = event.currentTarget.value as UsageFilter)}
    >
      {(Object.keys(USAGE_LABELS) as UsageFilter[]).map((filter) => (
        <option key={filter} value={filter}>
          {USAGE_LABELS[filter]}
          {built ? ` (${formatCount(counts[filter])})` : ''}
        </option>
      ))}
    </select>
  );
}
