/**
 * Components on the sandbox's Data API: `GET /v2/sites/{site_id}/components` and
 * `GET /v2/sites/{site_id}/components/{component_id}/dom` (in a locale, paginated), behind the
 * `components:read` scope, and `…/properties` (the defaults of the component's properties, an
 * "Alt Text" one among them). The sandbox has no page branches: a `branchId` names none.
 */
import { Hono, type Context } from 'hono';
import { WorldError } from '../world/errors.ts';
import type { WorldComponent } from '../world/site-content.ts';
import type { World } from '../world/world.ts';
import { wireComponent, wireNode, wireProperty } from './content-wire.ts';
import { missingScope, outsideSite, type GateEnv } from './gate.ts';
import { objectId, pageParams } from './params.ts';

/** Webflow's component ids are UUIDs; anything that is not id-shaped is refused before a lookup. */
const COMPONENT_ID = /^[A-Za-z0-9-]{1,64}$/;

export function componentRoutes(world: World): Hono<GateEnv> {
  const app = new Hono<GateEnv>();

  const noBranch = (c: Context<GateEnv>): void => {
    const branchId = c.req.query('branchId');
    if (branchId === undefined || branchId === '') return;
    throw new WorldError('not_found', `Branch ${objectId(branchId, 'branchId')} was not found.`);
  };

  app.get('/v2/sites/:siteId/components', (c) => {
    const siteId = c.req.param('siteId');
    const refused = missingScope(c, 'components:read') ?? outsideSite(c, siteId);
    if (refused) return refused;
    noBranch(c);
    const { limit, offset } = pageParams(c);
    const all = world.content.listComponents(siteId);
    return c.json({ components: all.slice(offset, offset + limit).map(wireComponent), pagination: { limit, offset, total: all.length } });
  });

  /** The component of the path, once the token may read components of its site. */
  const componentOf = (c: Context<GateEnv>, siteId: string) => {
    noBranch(c);
    const componentId = c.req.param('componentId') ?? '';
    if (!COMPONENT_ID.test(componentId)) {
      throw new WorldError('invalid', 'Provided ID is invalid: component_id must be a component’s UUID.', [{ param: 'component_id', description: 'Invalid id' }]);
    }
    return world.content.component(siteId, componentId);
  };

  /** A component's DOM or properties, in a locale and a page of `limit`/`offset`, once scope, site and id are checked. */
  const componentPart = (c: Context<GateEnv>, answer: (component: WorldComponent, siteId: string, localeId: string, page: { limit: number; offset: number }) => object) => {
    const siteId = c.req.param('siteId') ?? '';
    const refused = missingScope(c, 'components:read') ?? outsideSite(c, siteId);
    if (refused) return refused;
    const component = componentOf(c, siteId);
    const localeId = world.locale(siteId, c.req.query('localeId')).id;
    return c.json(answer(component, siteId, localeId, pageParams(c)));
  };

  app.get('/v2/sites/:siteId/components/:componentId/dom', (c) =>
    componentPart(c, (component, siteId, localeId, { limit, offset }) => ({
      componentId: component.id,
      nodes: component.nodes.slice(offset, offset + limit).map((node) => wireNode(world, siteId, node, localeId)),
      pagination: { limit, offset, total: component.nodes.length },
    })),
  );

  app.get('/v2/sites/:siteId/components/:componentId/properties', (c) =>
    componentPart(c, (component, siteId, localeId, { limit, offset }) => {
      const properties = component.properties ?? [];
      return {
        componentId: component.id,
        properties: properties.slice(offset, offset + limit).map((property) => wireProperty(world, siteId, property, localeId)),
        pagination: { limit, offset, total: properties.length },
      };
    }),
  );

  return app;
}
