/** A Designer call's JSON arguments, checked with zod; a bad body is `InvalidRequest`. */
import type { Context } from 'hono';
import type { z } from 'zod';
import { DesignerFailure } from './port.ts';

export async function body<T>(c: Context, schema: z.ZodType<T>): Promise<T> {
  const raw: unknown = await c.req.json().catch(() => {
    throw new DesignerFailure('InvalidRequest', 'Send the arguments as a JSON body.');
  });
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.length ? `${issue.path.join('.')}: ` : '';
    throw new DesignerFailure('InvalidRequest', `${where}${issue?.message ?? 'invalid arguments'}`);
  }
  return parsed.data;
}
