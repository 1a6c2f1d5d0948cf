/** What the "Where used" details say about each use of an asset. */
import type { AltState, AssetUse, ReferenceWhere, UseWhere } from '../../core/usage.ts';

/** Where the use is, in the designer's words. */
export function useWhereWords(where: UseWhere): string {
  switch (where.kind) {
    case 'page':
      return `Page: ${where.pageTitle}`;
    case 'component':
      return where.pageTitle
        ? `Component ${where.componentName}, on the page ${where.pageTitle}`
        : `Component ${where.componentName}, placed on no page`;
    case 'cms-image':
      return `CMS: ${where.collectionName} › ${where.itemName} (${where.fieldSlug}${where.index !== null ? `, image ${where.index + 1}` : ''})`;
    case 'rich-text':
      return `CMS rich text: ${where.collectionName} › ${where.itemName} (${where.fieldSlug}, image ${where.position + 1})`;
  }
}

/** A use without alt text of its own: a CMS value linking the file, a style's background image. */
export function referenceWords(where: ReferenceWhere): string {
  switch (where.kind) {
    case 'link':
      return `Linked from CMS: ${where.collectionName} › ${where.itemName} (${where.fieldSlug})`;
    case 'style': {
      const variant = [where.breakpoint, where.pseudo].filter((part) => part !== null && part !== 'noPseudo').join(', ');
      return `Background image of the style ${where.styleName}${variant ? ` (${variant})` : ''}`;
    }
  }
}

/** The alt text a visitor gets there, in words. */
export function altStateWords(state: AltState, altText: string | null): string {
  switch (state) {
    case 'inherited':
      return `Uses the asset’s alt text: “${altText ?? ''}”`;
    case 'overridden':
      return `Own alt text: “${altText ?? ''}”`;
    case 'decorative':
      return 'Decorative (alt="")';
    case 'missing':
      return 'No alt text: visitors get no description';
  }
}

/** The page and element a "Go there" opens and selects; null for CMS uses (and unplaced components). */
export function goThere(use: AssetUse): { pageId: string; elementId: string } | null {
  const where = use.where;
  if (where.kind === 'page') return { pageId: where.pageId, elementId: where.nodeId };
  if (where.kind === 'component' && where.pageId && where.instanceNodeId) return { pageId: where.pageId, elementId: where.instanceNodeId };
  return null;
}
