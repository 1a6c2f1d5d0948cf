/**
 * The backend's server applier alone, as its own process, for the SIGKILL test: applies the
 * journal's open changes against WEBFLOW_API_URL and exits once none is left.
 * Env: STORE_URL (PGlite folder or postgres:// URL), STORE_SCHEMA (PostgreSQL only),
 * WEBFLOW_API_URL (a Data API v2 base), SITE_TOKEN.
 */
import { openStore } from '../../src/server/store/db.ts';
import { createJournal, SERVER_FIELDS } from '../../src/server/services/journal.ts';
import { defaultClassifyError } from '../../src/server/services/apply-errors.ts';
import { createServerApplier, type AssetWriter } from '../../src/server/services/server-applier.ts';

const env = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} must be set`);
  return value;
};

const apiUrl = env('WEBFLOW_API_URL');
const schema = process.env.STORE_SCHEMA;

function webflowError(method: string, response: Response): Error {
  const retryAfter = Number(response.headers.get('retry-after'));
  return Object.assign(new Error(`${method} asset answered ${response.status}`), {
    status: response.status,
    ...(response.headers.has('retry-after') && Number.isFinite(retryAfter) ? { retryAfterSeconds: retryAfter } : {}),
  });
}

/** Plain fetch on the Data API: this test is about the journal, not about the client's quota. */
const webflow: AssetWriter = {
  async getAsset(token, assetId, { localeId }) {
    const query = localeId ? `?localeId=${encodeURIComponent(localeId)}` : '';
    const response = await fetch(`${apiUrl}/assets/${assetId}${query}`, { headers: { authorization: `Bearer ${token}` } });
    if (!response.ok) throw webflowError('GET', response);
    return (await response.json()) as { displayName?: string; altText?: string | null };
  },
  async updateAsset(token, assetId, { localeId, ...body }) {
    const query = localeId ? `?localeId=${encodeURIComponent(localeId)}` : '';
    const response = await fetch(`${apiUrl}/assets/${assetId}${query}`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (!response.ok) throw webflowError('PATCH', response);
    return response.json();
  },
  async listAssets(token, siteId, { localeId, offset, limit }) {
    const query = new URLSearchParams({ offset: String(offset), limit: String(limit), ...(localeId ? { localeId } : {}) });
    const response = await fetch(`${apiUrl}/sites/${siteId}/assets?${query}`, { headers: { authorization: `Bearer ${token}` } });
    if (!response.ok) throw webflowError('GET assets', response);
    return (await response.json()) as { assets: { id: string; altText: string | null }[]; pagination: { total: number } };
  },
};

const store = await openStore(env('STORE_URL'), schema ? { schema, migrations: [] } : {});
const journal = createJournal({ store });
const applier = createServerApplier({
  journal,
  webflow,
  getSiteToken: async () => env('SITE_TOKEN'),
  // Short leases so that a restarted process takes over a killed one's changes soon.
  leaseSeconds: 2,
  batchSize: 25,
  pollMs: 20,
  // Webflow's 500s here are brief: try again soon rather than in 5 s, to keep the test short.
  classifyError: (error) => {
    const verdict = defaultClassifyError(error);
    return 'retryInMs' in verdict ? { ...verdict, retryInMs: Math.min(verdict.retryInMs, 20) } : verdict;
  },
  onError: (error) => console.error('applier:', error instanceof Error ? error.message : error),
});
applier.start();
process.stdout.write('applying\n');

for (;;) {
  await new Promise((resolve) => setTimeout(resolve, 100));
  const open = await store.query<{ n: number }>(
    "SELECT count(*)::int AS n FROM journal_changes WHERE status IN ('pending', 'leased') AND field = ANY($1::text[])",
    [SERVER_FIELDS],
  );
  if (open[0]?.n === 0) break;
}
await applier.stop();
await store.close();
process.stdout.write('done\n');
