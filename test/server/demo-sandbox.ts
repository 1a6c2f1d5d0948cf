/**
 * A sandbox of the demo site for one `describe`: started before its tests, closed after, with the
 * demo as generated (to pick assets by type) and the site's asset index read into a test store.
 */
import { afterAll, beforeAll } from 'vitest';
import { createSandbox, type Sandbox } from '../../src/sandbox/server.ts';
import { generateDemoSite } from '../../src/sandbox/seed/index.ts';
import type { DemoSite } from '../../src/sandbox/seed/types.ts';
import { createAssetIndex } from '../../src/server/services/asset-index.ts';
import type { Store } from '../../src/server/store/db.ts';
import { createWebflowClient } from '../../src/server/webflow/client.ts';

export interface DemoSandbox {
  demo: DemoSite;
  sandbox(): Sandbox;
  /** The site's asset index refreshed into `store` from the sandbox, and what read it. */
  indexInto(store: Store): Promise<{ siteId: string; webflow: ReturnType<typeof createWebflowClient>; getSiteToken: (siteId: string) => Promise<string | undefined> }>;
}

export function useDemoSandbox(assets: number): DemoSandbox {
  let started: Sandbox | undefined;
  beforeAll(async () => {
    started = await createSandbox({ port: 0, demo: { assets }, rateLimit: { perWindow: 1000, windowMs: 1000 } });
  });
  afterAll(async () => {
    await started?.close();
  });
  const sandbox = (): Sandbox => {
    if (!started) throw new Error('The sandbox is not started yet (use it inside a test).');
    return started;
  };
  return {
    demo: generateDemoSite({ assets }),
    sandbox,
    async indexInto(store) {
      const { info } = sandbox();
      const siteId = info.siteId;
      const webflow = createWebflowClient({ apiBaseUrl: info.apiBaseUrl, betaBaseUrl: info.betaBaseUrl, store, rateWindowMs: 1000 });
      const getSiteToken = async (id: string) => (id === siteId ? info.siteToken : undefined);
      await createAssetIndex({ store, webflow, getSiteToken }).refresh(siteId);
      return { siteId, webflow, getSiteToken };
    },
  };
}
