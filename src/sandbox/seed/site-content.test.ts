import { describe, expect, it } from 'vitest';
import { generateDemoSite } from './index.ts';
import { UNUSED_SHARE } from './placement.ts';
import type { ContentNode, DemoSite, ImageValue } from './types.ts';

const demo = generateDemoSite();
const { content } = demo;
const primary = demo.site.locales.primary;
const [fr, de] = demo.site.locales.secondary;

/** Every image use on the site, by the shared rules (docs/decisions/image-alt-on-the-wire.md). */
function usesOf(site: DemoSite) {
  const components = new Map(site.content.components.map((c) => [c.id, c]));
  const elements: Extract<ContentNode, { type: 'image' }>[] = [];
  for (const page of site.content.pages) {
    for (const node of page.nodes) {
      if (node.type === 'image') elements.push(node);
      if (node.type === 'component-instance') for (const inner of components.get(node.componentId)?.nodes ?? []) if (inner.type === 'image') elements.push(inner);
    }
  }
  const cmsImages: ImageValue[] = [];
  const inline: { assetId: string; alt: string | undefined }[] = [];
  for (const item of site.content.items) {
    for (const version of Object.values(item.versions)) {
      for (const value of Object.values(version.fieldData)) {
        if (Array.isArray(value)) cmsImages.push(...value);
        else if (value && typeof value === 'object') cmsImages.push(value);
        else if (typeof value === 'string') {
          for (const img of value.matchAll(/<img\b[^>]*>/g)) {
            inline.push({ assetId: /@asset\/([a-f0-9]{24})/.exec(img[0])?.[1] ?? '', alt: /\balt="([^"]*)"/.exec(img[0])?.[1] });
          }
        }
      }
    }
  }
  const used = new Set([...elements.map((e) => e.assetId), ...cmsImages.map((i) => i.fileId), ...inline.map((i) => i.assetId)]);
  return { elements, cmsImages, inline, used };
}

describe('the demo site’s pages, components and CMS', () => {
  it('has about 40 static pages, components with images, three collections and a few hundred items', () => {
    const staticPages = content.pages.filter((p) => p.collectionId === null);
    expect(staticPages.length).toBeGreaterThanOrEqual(38);
    expect(staticPages.length).toBeLessThanOrEqual(45);
    expect(content.components.map((c) => c.name)).toEqual(['Header', 'Footer', 'Testimonial card', 'Newsletter banner']);
    for (const component of content.components) expect(component.nodes.some((n) => n.type === 'image')).toBe(true);
    expect(content.collections.map((c) => c.displayName)).toEqual(['Blog Posts', 'Products', 'Team Members']);
    expect(content.items.length).toBeGreaterThanOrEqual(200);
    expect(content.items.length).toBeLessThanOrEqual(400);
  });

  it('translates some pages and items into both secondary locales', () => {
    expect(content.pages.some((p) => p.nodes.some((n) => n.type === 'text' && fr && de && n.html[fr.id] && n.html[de.id]))).toBe(true);
    const translated = content.items.filter((i) => fr && de && i.versions[fr.cmsLocaleId] && i.versions[de.cmsLocaleId]);
    expect(translated.length).toBeGreaterThan(30);
    expect(content.items.every((i) => i.versions[primary.cmsLocaleId])).toBe(true);
  });

  it('is the same site for the same seed', () => {
    expect(JSON.stringify(generateDemoSite({ assets: 120, seed: 5 }).content)).toBe(JSON.stringify(generateDemoSite({ assets: 120, seed: 5 }).content));
  });

  it('uses only the site’s own images, and leaves about 15% of its assets used nowhere', () => {
    const { used } = usesOf(demo);
    const images = new Set(demo.assets.filter((a) => a.file.contentType.startsWith('image/')).map((a) => a.id));
    for (const id of used) expect(images.has(id), id).toBe(true);
    const unused = (demo.assets.length - used.size) / demo.assets.length;
    expect(unused).toBeGreaterThan(UNUSED_SHARE - 0.02);
    expect(unused).toBeLessThan(UNUSED_SHARE + 0.02);
  });

  it('has the gaps real sites have: overrides that differ from the asset’s alt, empty ones, and CMS images without alt', () => {
    const { elements, cmsImages, inline } = usesOf(demo);
    const assets = new Map(demo.assets.map((a) => [a.id, a]));
    const overrides = elements.filter((e) => e.alt && e.alt[primary.id]);
    expect(overrides.some((e) => e.alt?.[primary.id] !== assets.get(e.assetId)?.altText[primary.id])).toBe(true);
    expect(elements.some((e) => e.alt && e.alt[primary.id] === '')).toBe(true);
    expect(elements.some((e) => e.alt === null && assets.get(e.assetId)?.altText[primary.id] === '')).toBe(true);
    expect(cmsImages.filter((i) => !i.alt).length / cmsImages.length).toBeGreaterThan(0.15);
    expect(inline.some((i) => i.alt === undefined)).toBe(true);
    expect(inline.some((i) => i.alt === '')).toBe(true);
    expect(inline.some((i) => i.alt)).toBe(true);
  });

  it('has items published after their last change, items with staged changes since, drafts and archived ones', () => {
    const updated = (i: (typeof content.items)[number]) => i.versions[primary.cmsLocaleId]?.lastUpdated ?? '';
    expect(content.items.some((i) => updated(i) <= i.lastPublished)).toBe(true);
    expect(content.items.some((i) => updated(i) > i.lastPublished)).toBe(true);
    expect(content.items.some((i) => i.isDraft)).toBe(true);
    expect(content.items.some((i) => i.isArchived)).toBe(true);
    for (const item of content.items) expect(updated(item) >= item.createdOn).toBe(true);
  });

  it('gives every product a gallery of 3 to 8 images', () => {
    const products = content.collections.find((c) => c.slug === 'products');
    for (const item of content.items.filter((i) => i.collectionId === products?.id)) {
      const gallery = item.versions[primary.cmsLocaleId]?.fieldData.gallery as ImageValue[];
      expect(gallery.length).toBeGreaterThanOrEqual(3);
      expect(gallery.length).toBeLessThanOrEqual(8);
    }
  });
});
