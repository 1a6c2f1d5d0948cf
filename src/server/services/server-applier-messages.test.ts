import { describe, expect, it } from 'vitest';
import { defaultClassifyError } from './apply-errors.ts';

describe('what a failed change tells the user', () => {
  it('is never a database’s or a library’s own message', () => {
    const database = Object.assign(new Error('invalid byte sequence for encoding "UTF8": 0x00'), { code: '22021' });
    expect(defaultClassifyError(database)).toEqual({ failed: 'The change could not be sent to Webflow: an unexpected error on our side; the backend’s log says which; retry it.' });
    const network = Object.assign(new Error('Updating an asset: Webflow could not be reached (fetch failed: ECONNREFUSED)'), { status: 0, name: 'NetworkError' });
    expect(defaultClassifyError(network)).toMatchObject({ reason: 'unavailable', message: 'Webflow could not be reached' });
  });

  it('keeps Webflow’s own answer when Webflow gave one', () => {
    expect(defaultClassifyError(Object.assign(new Error('Validation Error: altText is too long'), { status: 400 }))).toEqual({
      failed: 'Webflow refused the change: Validation Error: altText is too long',
    });
  });
});
