/**
 * The wire shapes of pages, page and component DOM, components, collections and items, built
 * from the world in one locale. One place, so a list, a single GET and a PATCH answer agree.
 * Image nodes carry the element's own alt setting (docs/decisions/image-alt-on-the-wire.md).
 */
import type { ContentNode, FieldValue, ImageValue, PropertyOverride } from '../seed/types.ts';
import type { World } from '../world/world.ts';
import type { WorldCollection, WorldComponent, WorldItem, WorldPage } from '../world/site-content.ts';
import { hostedPath } from './wire.ts';

export function wirePage(world: World, page: WorldPage, localeId: string) {
  const locale = world.locale(page.siteId, localeId);
  const title = world.content.inLocale(page.title, page.siteId, localeId) ?? '';
  const description = world.content.inLocale(page.description, page.siteId, localeId) ?? '';
  const prefix = locale.subdirectory ? `/${locale.subdirectory}` : '';
  return {
    id: page.id,
    siteId: page.siteId,
    title,
    slug: page.slug,
    parentId: null,
    collectionId: page.collectionId,
    createdOn: page.createdOn,
    lastUpdated: page.lastUpdated,
    archived: false,
    draft: false,
    canBranch: page.collectionId === null,
    isBranch: false,
    branchId: null,
    seo: { title, description },
    openGraph: { title, titleCopied: true, description, descriptionCopied: true },
    localeId: locale.id,
    publishedPath: page.slug === 'home' ? prefix || '/' : `${prefix}/${page.slug}`,
  };
}

/** A DOM node in a locale: text and overrides in that locale, an Image element's alt per the shared rules. */
export function wireNode(world: World, siteId: string, node: ContentNode, localeId: string) {
  const inLocale = <T>(values: Record<string, T>): T | undefined => world.content.inLocale(values, siteId, localeId);
  switch (node.type) {
    case 'text': {
      const html = inLocale(node.html) ?? '';
      return { id: node.id, type: 'text' as const, text: { html, text: textOf(html) }, attributes: {} };
    }
    case 'image':
      return { id: node.id, type: 'image' as const, image: { alt: node.alt === null ? null : (inLocale(node.alt) ?? null), assetId: node.assetId }, attributes: {} };
    case 'component-instance':
      return {
        id: node.id,
        type: 'component-instance' as const,
        componentId: node.componentId,
        propertyOverrides: node.propertyOverrides.map((o) => wireProperty(world, siteId, o, localeId)),
      };
  }
}

/** A component property (its default, or an instance's override) in a locale: the primary's where that locale has none. */
export function wireProperty(world: World, siteId: string, property: PropertyOverride, localeId: string) {
  return { propertyId: property.propertyId, type: property.type, label: property.label, text: { html: null, text: world.content.inLocale(property.text, siteId, localeId) ?? '' } };
}

export function wireComponent(component: WorldComponent) {
  // Webflow answers null for a component without a group or description (the spec's example does too).
  return { id: component.id, name: component.name, group: component.group, description: component.description, readonly: false };
}

export function wireCollection(collection: WorldCollection, withFields: boolean) {
  const summary = {
    id: collection.id,
    displayName: collection.displayName,
    singularName: collection.singularName,
    slug: collection.slug,
    createdOn: collection.createdOn,
    lastUpdated: collection.lastUpdated,
  };
  if (!withFields) return summary;
  return {
    ...summary,
    fields: collection.fields.map((f) => ({ id: f.id, isRequired: f.isRequired, isEditable: true, type: f.type, slug: f.slug, displayName: f.displayName, helpText: f.helpText ?? '', validations: null })),
  };
}

/** An item as its CMS locale shows it (the primary's content where that locale has none of its own). */
export function wireItem(world: World, collection: WorldCollection, item: WorldItem, cmsLocaleId: string, baseUrl: string) {
  const version = world.content.version(collection, item, cmsLocaleId);
  const fieldData: Record<string, unknown> = {};
  for (const [slug, value] of Object.entries(version.fieldData)) {
    if (value !== null) fieldData[slug] = wireValue(world, collection.siteId, value, baseUrl);
  }
  return {
    id: item.id,
    cmsLocaleId,
    lastPublished: version.lastPublished ?? item.lastPublished,
    lastUpdated: version.lastUpdated,
    createdOn: item.createdOn,
    isArchived: item.isArchived,
    isDraft: item.isDraft,
    fieldData,
  };
}

function wireValue(world: World, siteId: string, value: Exclude<FieldValue, null>, baseUrl: string): unknown {
  if (Array.isArray(value)) return value.map((image) => wireImage(world, siteId, image, baseUrl));
  if (typeof value === 'object') return wireImage(world, siteId, value, baseUrl);
  if (typeof value === 'string' && value.includes('@asset/')) {
    return value.replace(/@asset\/([a-f0-9]{24})/g, (_whole, assetId: string) => assetUrl(world, siteId, assetId, baseUrl));
  }
  return value;
}

function wireImage(world: World, siteId: string, image: ImageValue, baseUrl: string) {
  return { fileId: image.fileId, url: assetUrl(world, siteId, image.fileId, baseUrl), alt: image.alt };
}

/** The asset's hosted URL; a deleted asset's URL still names it (Webflow keeps the reference). */
function assetUrl(world: World, siteId: string, assetId: string, baseUrl: string): string {
  try {
    return `${baseUrl}${hostedPath(world.asset(siteId, assetId))}`;
  } catch {
    return `${baseUrl}/cdn/${siteId}/${assetId}_`;
  }
}

export function textOf(html: string): string {
  return html
    .replace(/<[^>]*>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&');
}
