/**
 * Request bodies at the edge: JSON, checked against the API's zod schemas, refused with one
 * clear `validation_error` naming the first problem (all of them in `details`).
 */
import type { Context } from 'hono';
import type { z } from 'zod';
import { HttpError } from '../errors.ts';

export async function parseJson<Schema extends z.ZodType>(c: Context, schema: Schema): Promise<z.output<Schema>> {
  let body: unknown;
  try {
    body = await c.req.json();
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
