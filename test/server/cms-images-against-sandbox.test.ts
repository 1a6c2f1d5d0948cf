/**
 * "CMS images" against the sandbox's demo site, through the real stack: the listing the panel is
 * served holds exactly the image uses an independent walk of the sandbox's Data API finds (each
 * Image value, each MultiImage image, each Rich Text `<img>` of an asset, in every locale), with
 * the alt text each holds. The walk is written from the OpenAPI shapes, not with the backend's code.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cmsImages, type CmsImages } from '../../src/core/cms-images.ts';
import { startStack, type Stack } from '../../src/stack/stack.ts';
import { sessionClient, type Client } from './backend-support.ts';
import { listAll, waitFor, wire } from './sandbox-control.ts';

let stack: Stack;
let client: Client;

beforeAll(async () => {
  stack = await startStack({ withoutPanel: true, rateLimit: { perWindow: 1000, windowMs: 1000 } });
  client = await sessionClient(stack.backendUrl, stack.sandbox);
}, 120_000);
afterAll(async () => {
  await stack?.close();
});


const all = <T>(path: string, key: string): Promise<T[]> => listAll<T>(stack.sandbox, path, key);

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", '#39': "'" };
const decoded = (value: string) => value.replace(/&(amp|lt|gt|quot|apos|#39);/g, (_, name: string) => ENTITIES[name] ?? '');

/** Every image use the Data API shows, one line each: collection item field type position locale asset alt. */
async function walkTheSandbox(siteId: string): Promise<string[]> {
  const token = stack.sandbox.info.siteToken;
  type Locale = { id: string; cmsLocaleId: string };
  const site = (await wire<{ locales: { primary: Locale; secondary: Locale[] } }>(stack.sandbox, token, `/sites/${siteId}`)).body;
  const locales = [{ ...site.locales.primary, listed: null as string | null }, ...site.locales.secondary.map((l) => ({ ...l, listed: l.id as string | null }))];
  const lines: string[] = [];
  const line = (...parts: unknown[]) => lines.push(JSON.stringify(parts));
  const collections = (await wire<{ collections: { id: string }[] }>(stack.sandbox, token, `/sites/${siteId}/collections`)).body.collections;
  for (const { id } of collections) {
    const { fields } = (await wire<{ fields: { slug: string; type: string }[] }>(stack.sandbox, token, `/collections/${id}`)).body;
    for (const locale of locales) {
      for (const item of await all<{ id: string; fieldData: Record<string, unknown> }>(`/collections/${id}/items?cmsLocaleId=${locale.cmsLocaleId}`, 'items')) {
        for (const field of fields) {
          const value = item.fieldData[field.slug];
          if (field.type === 'Image' && value) {
            const image = value as { fileId: string; alt?: string | null };
            line(id, item.id, field.slug, 'Image', null, locale.listed, image.fileId, image.alt ?? null);
          }
          if (field.type === 'MultiImage' && Array.isArray(value)) {
            (value as { fileId: string; alt?: string | null }[]).forEach((image, index) => line(id, item.id, field.slug, 'MultiImage', index, locale.listed, image.fileId, image.alt ?? null));
          }
          if (field.type === 'RichText' && typeof value === 'string') {
            [...value.matchAll(/<img\b[^>]*>/gi)].forEach(([tag], position) => {
              const assetId = /\ssrc="[^"]*\/([0-9a-f]{24})_[^"]*"/i.exec(tag)?.[1];
              const alt = /\salt="([^"]*)"/i.exec(tag)?.[1];
              if (assetId) line(id, item.id, field.slug, 'RichText', position, locale.listed, assetId, alt === undefined ? null : decoded(alt));
            });
          }
        }
      }
    }
  }
  return lines.sort();
}

describe('the CMS images of the demo site', () => {
  it('are every image use the Data API shows, in every locale, with the alt text each holds', async () => {
    const answer = await waitFor('the usage crawl', async () => {
      const listed = await client.json<CmsImages>(`/api/sites/${stack.siteId}/usage/cms-images`);
      return listed.crawl.built && listed.crawl.state === 'idle' ? listed : undefined;
    }, 120_000, 250);
    const parsed = cmsImages.parse(answer);
    const { columns, collections } = parsed;
    const served = columns.itemId
      .map((itemId, i) => JSON.stringify([collections[columns.collection[i]!]?.id, itemId, columns.fieldSlug[i], columns.fieldType[i], columns.position[i], columns.localeId[i], columns.assetId[i], columns.altText[i]]))
      .sort();
    const walked = await walkTheSandbox(stack.siteId);
    expect(served.length).toBe(walked.length);
    expect(served).toEqual(walked);
    // The demo's shape, so the comparison compared something: all three kinds, several locales, gaps.
    expect(new Set(columns.fieldType)).toEqual(new Set(['Image', 'MultiImage', 'RichText']));
    expect(new Set(columns.localeId).size).toBeGreaterThan(1);
    expect(columns.altText.filter((alt) => alt === null).length).toBeGreaterThan(0);
    expect(collections.map((c) => c.name).sort()).toEqual(expect.arrayContaining(['Products']));
  }, 300_000);
});
