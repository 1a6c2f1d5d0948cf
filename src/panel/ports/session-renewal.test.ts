import { describe, expect, it } from 'vitest';
import { BackendError } from './backend.ts';
import { withSessionRenewal } from './session-renewal.ts';
import { FakeBackend } from '../testing/fakes.ts';

const unauthorized = () => new BackendError(401, 'unauthorized', 'Your session has expired.');

describe('a backend port that renews an expired session', () => {
  it('renews once and asks again when a call is refused as unauthorized', async () => {
    const backend = new FakeBackend();
    let renewals = 0;
    const renewing = withSessionRenewal(backend, async () => ((renewals += 1), true));
    backend.failNext.getIndexChanges = unauthorized();
    expect((await renewing.getIndexChanges('site1', 0)).epoch).toBe(backend.epoch);
    expect(renewals).toBe(1);
  });

  it('passes other failures on, and an unauthorized one when the renewal fails', async () => {
    const backend = new FakeBackend();
    let renewals = 0;
    const renewing = withSessionRenewal(backend, async () => ((renewals += 1), false));
    backend.failNext.getIndexChanges = new BackendError(500, 'internal_error', 'Boom');
    await expect(renewing.getIndexChanges('site1', 0)).rejects.toMatchObject({ code: 'internal_error' });
    expect(renewals).toBe(0);
    backend.failNext.getIndexChanges = unauthorized();
    await expect(renewing.getIndexChanges('site1', 0)).rejects.toMatchObject({ code: 'unauthorized' });
    expect(renewals).toBe(1);
  });

  it('leaves the session calls alone, and the thumbnail URL a string', async () => {
    const backend = new FakeBackend();
    let renewals = 0;
    const renewing = withSessionRenewal(backend, async () => ((renewals += 1), true));
    expect(typeof renewing.thumbnailUrl('site1', 'asset1', 'm1', 'k1')).toBe('string');
    expect(renewing.thumbnailUrl('site1', 'asset1', 'm1', 'k1')).toBe(backend.thumbnailUrl('site1', 'asset1', 'm1', 'k1'));
    backend.installed = false;
    await expect(renewing.createSession({ idToken: 't', siteId: 'site1' })).rejects.toMatchObject({ code: 'not_installed' });
    expect(renewals).toBe(0);
  });
});
