/**
 * What the panel's Unused filter lists (src/panel/find/find.ts): the images of the backend's
 * index with no row in `GET /api/sites/:siteId/usage`, once the crawl is built and the styles
 * were read and sent as the panel sends them (src/panel/usage/styles-reader.ts over the panel's
 * styles port and HTTP backend, on the sandbox's Designer API). Then the two lists compared.
 */
import type { IndexResponse } from '../../src/core/api.ts';
import { isImageType } from '../../src/core/alt-lint.ts';
import type { UsageSummary } from '../../src/core/usage.ts';
import { createHttpBackend } from '../../src/panel/ports/http-backend.ts';
import { createStylesPort } from '../../src/panel/ports/styles.ts';
import { createStylesReader } from '../../src/panel/usage/styles-reader.ts';
import { createSandboxWebflow } from '../../src/sandbox/designer/client.ts';
import { DESIGNER_PATH } from '../../src/sandbox/designer/wire.ts';
import type { Audit, AuditedSandbox } from './walk.ts';

export interface UnusedFilter {
  /** Ids of the images the filter lists. */
  unused: string[];
  /** How many styles' background images the panel sent. */
  styleUses: number;
}

/** Opens a session as the panel does: an ID token from the (sandbox) Designer. */
export async function openSession(backendUrl: string, sandbox: AuditedSandbox): Promise<string> {
  const idToken = await fetch(`${sandbox.url}${DESIGNER_PATH}/id-token?siteId=${sandbox.info.siteId}`, { method: 'POST' });
  if (!idToken.ok) throw new Error(`The sandbox gave no ID token: ${idToken.status}`);
  const session = await fetch(`${backendUrl}/api/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ idToken: ((await idToken.json()) as { idToken: string }).idToken, siteId: sandbox.info.siteId }),
  });
  if (!session.ok) throw new Error(`The backend refused a session: ${session.status} ${await session.text()}`);
  return ((await session.json()) as { sessionToken: string }).sessionToken;
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Still waiting for ${what} after ${timeoutMs / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

export async function unusedFilter(backendUrl: string, sandbox: AuditedSandbox, sessionToken: string, timeoutMs = 300_000): Promise<UnusedFilter> {
  const { siteId } = sandbox.info;
  const backend = createHttpBackend(backendUrl);
  backend.setSessionToken(sessionToken);
  const index = await until('the asset index', async () => {
    const { index: answer } = await backend.getIndex(siteId);
    return answer.refresh.finishedAt && answer.refresh.state !== 'running' ? answer : undefined;
  }, timeoutMs);
  await until('the usage crawl', async () => {
    const usage = await backend.usage(siteId);
    if (usage.crawl.state === 'failed' || usage.crawl.state === 'needs_scopes') throw new Error(`The usage crawl ended ${usage.crawl.state}: ${usage.crawl.error ?? ''}`);
    return usage.crawl.built && usage.crawl.state === 'idle' ? usage : undefined;
  }, timeoutMs);

  const reader = createStylesReader({
    // The sandbox's `webflow` global answers the reading half of the styles API, all the port calls.
    styles: createStylesPort(createSandboxWebflow({ baseUrl: `${sandbox.url}${DESIGNER_PATH}`, siteId }) as unknown as Parameters<typeof createStylesPort>[0]),
    backend,
    siteId,
    reload: async () => undefined,
  });
  await reader.read();
  if (reader.state.value !== 'done') throw new Error(reader.message.value ?? 'The styles were not read.');
  const summary: UsageSummary = await backend.usage(siteId);
  if (!summary.sources.read.find((source) => source.source === 'styles')?.readAt) throw new Error('The usage index says the styles were never read.');
  return { unused: unusedOf(index, summary), styleUses: summary.columns.styles.filter((n) => n > 0).length };
}

/** The panel's rule: an image with no row in the usage summary. */
export function unusedOf(index: Pick<IndexResponse, 'assets'>, summary: Pick<UsageSummary, 'columns'>): string[] {
  const used = new Set(summary.columns.assetId);
  return index.assets.filter((asset) => isImageType(asset.contentType) && !used.has(asset.id)).map((asset) => asset.id);
}

export interface Comparison {
  filterCount: number;
  auditCount: number;
  /** Listed by the filter, yet the audit saw them on screen or referenced: each with where. */
  listedButUsed: { id: string; fileName: string; seenAt: string[] }[];
  /** Images the audit saw nowhere that the filter does not list. */
  unlistedButUnused: { id: string; fileName: string }[];
}

/** The audit's unused images (seen nowhere) beside the filter's. */
export function compare(audit: Audit, filter: Pick<UnusedFilter, 'unused'>): Comparison {
  const images = audit.assets.filter((asset) => asset.contentType.startsWith('image/'));
  const auditUnused = images.filter((asset) => !audit.seenAt.has(asset.id));
  const listed = new Set(filter.unused);
  const byId = new Map(audit.assets.map((asset) => [asset.id, asset]));
  return {
    filterCount: listed.size,
    auditCount: auditUnused.length,
    listedButUsed: [...listed]
      .filter((id) => audit.seenAt.has(id) || !byId.has(id))
      .map((id) => ({ id, fileName: byId.get(id)?.fileName ?? '(not an asset of the site)', seenAt: [...(audit.seenAt.get(id) ?? [])].slice(0, 5) })),
    unlistedButUnused: auditUnused.filter((asset) => !listed.has(asset.id)).map(({ id, fileName }) => ({ id, fileName })),
  };
}
