/**
 * The replacement routes, below `/api/sites/:siteId` behind the session middleware:
 * `POST /replacements?assetId=&fileName=&md5=` with the file itself as the body (not JSON: app.ts
 * gives this path its own type check and Webflow's largest limit) journals a replacement (201
 * {batch}); `GET /replacements/{changeId}` says whether the Designer applier may set the file
 * now; `GET /replacements/{changeId}/file` answers its bytes. Undo is the journal's.
 */
import { Hono } from 'hono';
import { z } from 'zod';
import { idSchema, text } from '../../core/api.ts';
import { MD5_PATTERN } from '../../core/replace.ts';
import type { AppEnv } from '../env.ts';
import { HttpError } from '../errors.ts';
import { pathId } from '../routes/validate.ts';
import type { Replacements } from './service.ts';

/** The path whose body is the new file, not JSON. */
export const REPLACEMENT_UPLOAD_PATH = /^\/api\/sites\/[^/]+\/replacements\/?$/;

const newFileQuery = z.object({
  assetId: idSchema,
  fileName: text(255).pipe(z.string().min(1, 'must not be empty')),
  md5: z.string().regex(MD5_PATTERN, 'must be an MD5 hex digest'),
});

export function replacementRoutes(deps: { replacements: Replacements; onRecorded?: (siteId: string) => void }): Hono<AppEnv> {
  const { replacements } = deps;
  const app = new Hono<AppEnv>();

  app.post('/replacements', async (c) => {
    const { siteId, userId } = c.var.session;
    const parsed = newFileQuery.safeParse(c.req.query());
    if (!parsed.success) {
      const issues = parsed.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message }));
      throw new HttpError(400, 'validation_error', `${issues[0]?.path}: ${issues[0]?.message}`, { details: issues });
    }
    const type = c.req.header('content-type') ?? '';
    if (/^(application\/json|multipart\/form-data)\b/i.test(type)) {
      throw new HttpError(415, 'unsupported_media_type', 'Send the file itself as the body (Content-Type: the file’s type, or application/octet-stream), not JSON or a form.');
    }
    const bytes = new Uint8Array(await c.req.arrayBuffer());
    const batch = await replacements.record(siteId, userId, { ...parsed.data, bytes });
    deps.onRecorded?.(siteId);
    return c.json({ batch }, 201);
  });

  app.get('/replacements/:changeId', async (c) => {
    c.header('Cache-Control', 'no-store');
    return c.json(await replacements.check(c.var.session.siteId, pathId(c, 'changeId')));
  });

  app.get('/replacements/:changeId/file', async (c) => {
    const file = await replacements.file(c.var.session.siteId, pathId(c, 'changeId'));
    return c.body(file.bytes as Uint8Array<ArrayBuffer>, 200, {
      'Content-Type': file.contentType,
      'Cache-Control': 'private, no-store',
      'X-Content-Type-Options': 'nosniff',
      'Content-Disposition': `attachment; filename*=UTF-8''${encodeURIComponent(file.fileName)}`,
    });
  });

  return app;
}
