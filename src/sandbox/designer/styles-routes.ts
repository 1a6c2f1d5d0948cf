/**
 * The styles part of the sandbox's Designer API: `getAllStyles`, `getStyleByName`, and a
 * style's name and properties per breakpoint and pseudo state (`getProperties`,
 * `getProperty`). Mounted inside the Designer routes (same site check, latency and batching).
 * Reading styles needs `canAccessCanvas`, as Webflow's reference says
 * (docs/decisions/sandbox-styles.md).
 */
import { Hono } from 'hono';
import { z } from 'zod';
import { text } from '../../core/api.ts';
import { breakpointId, pseudoStateKey } from '../../core/usage.ts';
import { DesignerFailure } from './port.ts';
import { stateKey, type SandboxStyle, type StylesWorld } from './styles-port.ts';
import type { WireStyle } from './styles-wire.ts';

export type StylesEnv = { Variables: { siteId: string } };

export interface StylesDeps {
  styles: StylesWorld;
  /** Whether the site's user has this Designer ability now. */
  can(siteId: string, mode: AppMode): boolean;
}

const options = z
  .object({
    breakpoint: breakpointId.optional(),
    pseudo: pseudoStateKey.optional(),
    variantId: text(100).optional(),
  })
  .strict();
const property = text(100).pipe(z.string().min(1, 'must name a CSS property'));

export const wireStyle = ({ id, name, type, source }: SandboxStyle): WireStyle => ({ id, name, type, source });

export function stylesApi({ styles, can }: StylesDeps): Hono<StylesEnv> {
  const api = new Hono<StylesEnv>();
  const all = (siteId: string): SandboxStyle[] => {
    if (!can(siteId, 'canAccessCanvas')) throw new DesignerFailure('Forbidden', "This user's role cannot use the canvas on this site (canAccessCanvas is off). Ask a site admin for access.");
    return styles.styles(siteId);
  };
  const one = (siteId: string, id: string): SandboxStyle => {
    const found = all(siteId).find((style) => style.id === id);
    if (!found) throw new DesignerFailure('ResourceMissing', `The style ${id} is not on this site; it may have been deleted or renamed.`);
    return found;
  };
  const propertiesOf = (style: SandboxStyle, query: Record<string, string>): Record<string, string> => {
    const { property: _property, siteId: _siteId, ...rest } = query;
    const parsed = options.safeParse(rest);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new DesignerFailure('InvalidRequest', `options${issue?.path.length ? `.${issue.path.join('.')}` : ''}: ${issue?.message ?? 'not valid'}`);
    }
    const { breakpoint, pseudo, variantId } = parsed.data;
    if (variantId !== undefined) throw new DesignerFailure('ResourceMissing', `The style ${style.name} has no component variant ${variantId}; the sandbox's styles have none.`);
    return style.properties[stateKey(breakpoint, pseudo)] ?? {};
  };

  api.get('/styles', (c) => c.json({ styles: all(c.var.siteId).map(wireStyle) }));
  api.get('/styles/by-name', (c) => {
    const name = c.req.query('name') ?? '';
    const found = all(c.var.siteId).find((style) => style.name === name);
    return c.json({ style: found ? wireStyle(found) : null });
  });
  api.get('/styles/:id', (c) => c.json(wireStyle(one(c.var.siteId, c.req.param('id')))));
  api.get('/styles/:id/properties', (c) => c.json({ properties: propertiesOf(one(c.var.siteId, c.req.param('id')), c.req.query()) }));
  api.get('/styles/:id/property', (c) => {
    const style = one(c.var.siteId, c.req.param('id'));
    const parsed = property.safeParse(c.req.query('property'));
    if (!parsed.success) throw new DesignerFailure('InvalidRequest', `prop: ${parsed.error.issues[0]?.message ?? 'not valid'}`);
    return c.json({ value: propertiesOf(style, c.req.query())[parsed.data] ?? null });
  });
  return api;
}
