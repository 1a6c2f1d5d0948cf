/**
 * Background images in styles, in Chromium: the panel opened against the sandbox reads the
 * site's styles by itself, the backend's usage sources then carry a styles date, an image the
 * sandbox shows only as a style's background has a use of kind "style", and the Unused note no
 * longer says the list is not safe for deleting.
 */
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { backgroundUrls } from '../../src/panel/usage/background-urls.ts';
import { createSandboxWebflow } from '../../src/sandbox/designer/client.ts';
import { DESIGNER_PATH } from '../../src/sandbox/designer/wire.ts';
import { backendSession, eventually, openPanel, useJourney, watchTrouble, type Journey } from './support.ts';

vi.setConfig({ testTimeout: 300_000 });

interface Sources {
  read: Array<{ source: string; readAt: string | null }>;
}
interface Usage {
  uses: unknown[];
  references: Array<{ where: { kind: string; styleName?: string; breakpoint?: string | null; pseudo?: string | null } }>;
}

describe('background images in styles', () => {
  const under = useJourney();
  let journey: Journey;
  beforeAll(() => {
    journey = under.journey;
  });

  it('reads the styles when the panel opens, and the index counts an image shown only as a background', async () => {
    const { backendUrl, siteId, sandbox } = journey.stack;
    const bearer = { authorization: `Bearer ${await backendSession(journey.stack)}` };
    const api = async <T>(path: string): Promise<T> => {
      const response = await fetch(`${backendUrl}/api/sites/${siteId}${path}`, { headers: bearer });
      expect(response.status).toBe(200);
      return (await response.json()) as T;
    };
    const stylesReadAt = async () => (await api<Sources>('/usage/sources')).read.find((each) => each.source === 'styles')?.readAt ?? null;
    expect(await stylesReadAt()).toBeNull();

    // The promo band's background at the medium breakpoint: an image no page, component or CMS item uses.
    const webflow = createSandboxWebflow({ baseUrl: `${sandbox.url}${DESIGNER_PATH}`, siteId });
    const promo = (await webflow.getAllStyles()).find((style) => style.name === 'promo-band');
    const value = await promo?.getProperty('background-image', { breakpoint: 'medium' });
    // A hosted URL is /cdn/<site id>/<asset id>_<file name>.
    const assetId = /\/([a-f0-9]{24})_[^/]*$/.exec(backgroundUrls(String(value))[0] ?? '')?.[1] as string;
    expect(assetId).toMatch(/^[a-f0-9]{24}$/);

    const page = await openPanel(journey);
    const trouble = watchTrouble(page);
    await eventually(stylesReadAt, (readAt) => readAt !== null);
    const usage = await api<Usage>(`/usage/assets/${assetId}`);
    expect(usage.references.map((each) => each.where)).toEqual([{ kind: 'style', styleName: 'promo-band', breakpoint: 'medium', pseudo: null }]);

    await page.getByRole('combobox', { name: 'Usage' }).selectOption('unused');
    const note = page.getByRole('note', { name: 'What unused means' });
    await expect.poll(() => note.textContent(), { timeout: 60_000 }).toMatch(/nor in a style read on/);
    expect(await note.textContent()).not.toMatch(/not safe for deleting/);
    expect(trouble).toEqual([]);
    await page.close();
  });
});
