/**
 * Reading a Data API request at the edge: the JSON body against a schema, whole-number query
 * parameters in range, and ids in Webflow's shapes. Bad input becomes a {@link WorldError}
 * (400 `validation_error`) or a {@link BadBody} (400 `bad_request`), never a 500.
 */
import type { Context } from 'hono';
import type { z } from 'zod';
import { WorldError } from '../world/errors.ts';

export class BadBody extends Error {
  constructor(
    message: string,
    readonly details: unknown[] = [],
  ) {
    super(message);
  }
}

export async function body<T>(c: Context, schema: z.ZodType<T>): Promise<T> {
  let raw: unknown;
  try {
    raw = await c.req.json();
  } catch {
    throw new BadBody('Bad Request: the body must be JSON');
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    throw new WorldError(
      'invalid',
      parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; '),
      parsed.error.issues.map((i) => ({ param: i.path.join('.'), description: i.message })),
    );
  }
  return parsed.data;
}

export function intParam(value: string | undefined, name: string, fallback: number, min: number, max: number): number {
  if (value === undefined || value === '') return fallback;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < min || parsed > max) {
    throw new WorldError('invalid', `${name} must be a whole number from ${min} to ${max}.`, [{ param: name, description: 'Out of range' }]);
  }
  return parsed;
}


const OBJECT_ID = /^[a-f0-9]{24}$/;

/** A path or query id that must be a 24-hex ObjectId, as Webflow's are: anything else is a 400. */
export function objectId(value: string | undefined, name: string): string {
  if (value === undefined || !OBJECT_ID.test(value)) {
    throw new WorldError('invalid', `Provided ID is invalid: ${name} must be a 24-character hex ObjectId.`, [{ param: name, description: 'Invalid ObjectId' }]);
  }
  return value;
}

/** Webflow's default and largest page of a list. */
export const MAX_LIMIT = 100;

/** `limit` and `offset` of a listing, checked. */
export function pageParams(c: Context): { limit: number; offset: number } {
  return {
    offset: intParam(c.req.query('offset'), 'offset', 0, 0, Number.MAX_SAFE_INTEGER),
    limit: intParam(c.req.query('limit'), 'limit', MAX_LIMIT, 1, MAX_LIMIT),
  };
}
