/**
 * Request input at the edge of each route: JSON bodies checked against the API's zod schemas
 * (whose strings follow the one text rule of src/core/api.ts), and path ids. Refused with one
 * clear `validation_error` naming the first problem (all of them in `details`).
 */
import type { Context } from 'hono';
import type { z } from 'zod';
import { idSchema } from '../../core/api.ts';
import { visible } from '../edge.ts';
import { HttpError } from '../errors.ts';

const utf8 = new TextDecoder('utf-8', { fatal: true });

export async function parseJson<Schema extends z.ZodType>(c: Context, schema: Schema): Promise<z.output<Schema>> {
  let text: string;
  try {
    // A leading byte order mark is dropped, as RFC 8259 allows (Windows tools write one); bytes
    // that are not UTF-8 are refused rather than turned into U+FFFD behind the client's back.
    text = utf8.decode(await c.req.arrayBuffer());
  } catch (cause) {
    throw new HttpError(400, 'bad_request', 'The request body must be JSON in UTF-8; it holds bytes that are not UTF-8.', { cause });
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (cause) {
    throw new HttpError(400, 'bad_request', 'The request body must be JSON', { cause });
  }
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message }));
    const first = issues[0];
    throw new HttpError(400, 'validation_error', first ? `${first.path || 'body'}: ${first.message}` : 'The request body is not valid', { details: issues });
  }
  return parsed.data;
}

/** A path parameter that must be an id, e.g. `assetId` of `/assets/:assetId/history`. */
export function pathId(c: Context, name: string): string {
  const value = c.req.param(name) ?? '';
  const parsed = idSchema.safeParse(value);
  if (!parsed.success) {
    const message = parsed.error.issues[0]?.message ?? 'must be an id';
    throw new HttpError(400, 'validation_error', `${name}: ${message} (got "${visible(value)}")`, { details: [{ path: name, message }] });
  }
  return parsed.data;
}
