/**
 * What the styles routes need from the sandbox's world: the site's styles (classes), each with
 * its properties per breakpoint and pseudo state. Adapted from the world in styles-world.ts
 * (docs/decisions/sandbox-styles.md).
 */

/** `"<breakpoint>:<pseudo>"`, e.g. `main:noPseudo` (the base styles) or `medium:hover`. */
export type StyleStateKey = `${BreakpointId}:${PseudoStateKey}`;

export interface SandboxStyle {
  id: string;
  name: string;
  type: StyleType;
  source: StyleSource;
  /** Only the states that set something; a missing state has no properties. */
  properties: Partial<Record<StyleStateKey, Record<string, string>>>;
}

export interface StylesWorld {
  /** The site's styles in the Styles panel's order; an unknown site is `ResourceMissing`. */
  styles(siteId: string): SandboxStyle[];
}

export const stateKey = (breakpoint: BreakpointId = 'main', pseudo: PseudoStateKey = 'noPseudo'): StyleStateKey => `${breakpoint}:${pseudo}`;
