/**
 * The wire of the sandbox's styles: what the Designer routes answer about a style. The
 * browser's `webflow` global and the routes both import it.
 */

export interface WireStyle {
  id: string;
  name: string;
  type: StyleType;
  source: StyleSource;
}
