/** Folder routes below `/api/sites/:siteId`: list and create (nested). */
import { Hono } from 'hono';
import { createFolderRequest } from '../../core/api.ts';
import type { AppEnv } from '../env.ts';
import type { Folders } from '../services/folders.ts';
import { parseJson } from './validate.ts';

export function foldersRoutes(deps: { folders: Folders }): Hono<AppEnv> {
  const { folders } = deps;
  const app = new Hono<AppEnv>();
  app.get('/folders', async (c) => c.json({ folders: await folders.list(c.get('session').siteId) }));
  app.post('/folders', async (c) => {
    const request = await parseJson(c, createFolderRequest);
    return c.json({ folder: await folders.create(c.get('session').siteId, request) }, 201);
  });
  return app;
}
