import { describe, expect, it } from 'vitest';
import { generateDemoSite } from './index.ts';
import { UNUSED_SHARE } from './placement.ts';
import { BROCHURE_LINKS, FEATURE_CARD_EMPTY_OVERRIDES, FEATURE_CARD_PLACEMENTS, FEATURE_CARD_TEXT_OVERRIDES, PASTED_URLS, usedAssetIds } from './references.ts';
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
    expect(content.components.map((c) => c.name)).toEqual(['Header', 'Footer', 'Testimonial card', 'Newsletter banner', 'Feature card']);
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

  it('uses only the site’s own images as images, and leaves about 15% of its assets used nowhere', () => {
    const { used } = usesOf(demo);
    const images = new Set(demo.assets.filter((a) => a.file.contentType.startsWith('image/')).map((a) => a.id));
    for (const id of used) expect(images.has(id), id).toBe(true);
    // Links and pasted URLs use a few more (PDF brochures, one image only linked).
    const anyUse = usedAssetIds(content);
    const unused = (demo.assets.length - anyUse.size) / demo.assets.length;
    expect(anyUse.size - used.size).toBeGreaterThan(0);
    expect(anyUse.size - used.size).toBeLessThanOrEqual(BROCHURE_LINKS + 1);
    expect(unused).toBeGreaterThan(UNUSED_SHARE - 0.02);
    expect(unused).toBeLessThan(UNUSED_SHARE + 0.02);
  });

  it('places a Feature card whose image alt is an "Alt Text" property, overridden on some pages, emptied on others', () => {
    const card = content.components.find((c) => c.name === 'Feature card');
    const property = card?.properties?.find((p) => p.type === 'Alt Text');
    const image = card?.nodes.find((n) => n.type === 'image');
    expect(image && image.type === 'image' ? image.altProperty : undefined).toBe(property?.propertyId);
    const instances = content.pages.flatMap((p) => p.nodes).filter((n) => n.type === 'component-instance' && n.componentId === card?.id);
    const overrides = instances.flatMap((n) => (n.type === 'component-instance' ? n.propertyOverrides : []));
    expect(instances).toHaveLength(FEATURE_CARD_PLACEMENTS);
    expect(overrides.filter((o) => o.type === 'Alt Text' && o.text[primary.id] !== '')).toHaveLength(FEATURE_CARD_TEXT_OVERRIDES);
    expect(overrides.filter((o) => o.type === 'Alt Text' && o.text[primary.id] === '')).toHaveLength(FEATURE_CARD_EMPTY_OVERRIDES);
  });

  it('links PDF brochures from products and pastes hosted URLs into blog summaries, one of an image shown nowhere else', () => {
    const products = content.collections.find((c) => c.slug === 'products');
    expect(products?.fields.find((f) => f.slug === 'brochure')?.type).toBe('Link');
    const pdfs = new Set(demo.assets.filter((a) => a.file.contentType === 'application/pdf').map((a) => a.id));
    const brochures = content.items.filter((i) => typeof i.versions[primary.cmsLocaleId]?.fieldData.brochure === 'string');
    expect(brochures).toHaveLength(BROCHURE_LINKS);
    for (const item of brochures) expect(pdfs.has(String(item.versions[primary.cmsLocaleId]?.fieldData.brochure).replace('@asset/', ''))).toBe(true);
    const pasted = content.items.filter((i) => String(i.versions[primary.cmsLocaleId]?.fieldData.summary).includes('@asset/'));
    expect(pasted).toHaveLength(PASTED_URLS);
    const { used } = usesOf(demo);
    expect(pasted.some((i) => !used.has(/@asset\/([a-f0-9]{24})/.exec(String(i.versions[primary.cmsLocaleId]?.fieldData.summary))?.[1] ?? ''))).toBe(true);
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
