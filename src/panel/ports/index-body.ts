import type { IndexResponse } from '../../core/api.ts';
import { decodeCompactIndex } from '../../core/compact-index.ts';
import { BackendError } from './backend.ts';
import { wire } from './wire.ts';

/**
 * The compact index's body, as the backend sends it, read into the index: checked against the
 * wire, then decoded. The panel keeps bodies between opens (src/panel/index-cache/) and reads a
 * kept one here too, so a body from an older panel or a damaged store fails the same way.
 */
export function readIndexBody(body: string, what = 'The kept index'): IndexResponse {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch (error) {
    throw new BackendError(200, 'internal_error', `${what} is not JSON.`, undefined, { cause: error });
  }
  const parsed = wire.compactIndex.safeParse(json);
  if (!parsed.success) throw new BackendError(200, 'internal_error', `${what} does not match the API: ${parsed.error.message}`);
  try {
    return decodeCompactIndex(parsed.data);
  } catch (error) {
    throw new BackendError(200, 'internal_error', `${what} does not match the API: ${error instanceof Error ? error.message : String(error)}`, undefined, { cause: error });
  }
}
