/**
 * The CSV routes, below `/api/sites/:siteId` behind the session middleware, for scripts:
 *
 * - `GET …/csv/export`: the site's alt text as the panel's Export writes it (text/csv, UTF-8
 *   with a BOM, formulas escaped), as an attachment named by site and day;
 * - `POST …/csv/import?dryRun=1`: the file (the body, `Content-Type: text/csv`) previewed:
 *   changes, unchanged rows, values changed in Webflow since the export, conflicts, and invalid
 *   rows with their line and reason. Without `dryRun` the changes are journaled as one batch
 *   (one undo) and applied by the server applier. `skipInvalid=1` applies the valid rows of a
 *   file with invalid ones; `overwriteConflicts=1` writes the file's value over a value Webflow
 *   changed since the export; `fileName` names the batch ("Import alt text from …").
 *
 * The body limit of this route is the import's, not the JSON routes' (see app.ts).
 */
import { Hono, type Context } from 'hono';
import type { AppEnv } from '../env.ts';
import { isCsvType, visible } from '../edge.ts';
import { HttpError } from '../errors.ts';
import type { CsvExchange } from './exchange.ts';

/** The path whose body is a CSV file, not JSON (app.ts gives it its own type check and limit). */
export const CSV_IMPORT_PATH = /^\/api\/sites\/[^/]+\/csv\/import\/?$/;

export function csvRoutes(deps: { csv: CsvExchange }): Hono<AppEnv> {
  const { csv } = deps;
  const app = new Hono<AppEnv>();

  app.get('/csv/export', async (c) => {
    const { text, fileName } = await csv.exportCsv(c.var.session.siteId);
    c.header('Cache-Control', 'private, no-store');
    c.header('Content-Disposition', `attachment; filename="${asciiName(fileName)}"; filename*=UTF-8''${encodeURIComponent(fileName)}`);
    return c.body(text, 200, { 'Content-Type': 'text/csv; charset=utf-8' });
  });

  app.post('/csv/import', async (c) => {
    const { siteId, userId } = c.var.session;
    const type = c.req.header('content-type');
    if (!type || !isCsvType(type)) {
      throw new HttpError(415, 'unsupported_media_type', `Send the file as the body with Content-Type: text/csv; charset=utf-8${type ? ` (not ${visible(type)})` : ''}.`);
    }
    const bytes = new Uint8Array(await c.req.arrayBuffer());
    const result = await csv.importCsv(siteId, userId, bytes, {
      dryRun: flag(c, 'dryRun'),
      skipInvalid: flag(c, 'skipInvalid'),
      overwriteConflicts: flag(c, 'overwriteConflicts'),
      fileName: c.req.query('fileName')?.trim() || 'the uploaded file',
    });
    return c.json(result, result.dryRun || result.recorded === 0 ? 200 : 201);
  });

  return app;
}

/** `1`/`true` or `0`/`false` (absent: false); anything else is refused rather than guessed. */
function flag(c: Context<AppEnv>, name: string): boolean {
  const value = c.req.query(name);
  if (value === undefined || value === '0' || value === 'false') return false;
  if (value === '' || value === '1' || value === 'true') return true;
  throw new HttpError(400, 'validation_error', `query parameter ${name}: write 1 or 0`, { details: [{ path: name, message: 'write 1 or 0' }] });
}

/** The file name for clients that read only `filename=`: printable ASCII, no quotes. */
function asciiName(fileName: string): string {
  return fileName.replace(/[^\x20-\x7e]|["\\]/g, '_');
}
