import { describe, expect, it } from 'vitest';
import { FakeBackend } from '../testing/fakes.ts';
import { BackendError } from './backend.ts';
import { withSessionGate } from './session-gate.ts';

function gate() {
  let ready = false;
  let open!: () => void;
  let fail!: (error: Error) => void;
  const opened = new Promise<void>((resolve, reject) => ((open = resolve), (fail = reject)));
  opened.catch(() => undefined);
  return {
    session: { isReady: () => ready, whenReady: () => opened },
    open: () => ((ready = true), open()),
    fail: (error: Error) => fail(error),
  };
}

describe('a backend port whose calls wait for the session', () => {
  it('holds calls until the session opens, then sends each once', async () => {
    const backend = new FakeBackend();
    const { session, open } = gate();
    const gated = withSessionGate(backend, session);
    let answered = false;
    const asked = gated.getIndexChanges('site1', 0).then((answer) => ((answered = true), answer));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(answered).toBe(false);
    open();
    expect((await asked).epoch).toBe(backend.epoch);
  });

  it('fails held calls with the session’s error when it cannot open', async () => {
    const { session, fail } = gate();
    const gated = withSessionGate(new FakeBackend(), session);
    const asked = gated.getIndexChanges('site1', 0);
    fail(new BackendError(0, 'unauthorized', 'Asset Desk could not open a session for this site.'));
    await expect(asked).rejects.toMatchObject({ code: 'unauthorized' });
  });

  it('sends at once when the session is open, and leaves the session calls and the thumbnail URL alone', async () => {
    const backend = new FakeBackend();
    const { session, open } = gate();
    const gated = withSessionGate(backend, session);
    // Before the session: the session itself and the URL are not held.
    expect(typeof gated.thumbnailUrl('site1', 'asset1', 'm', 'k')).toBe('string');
    expect((await gated.createSession({ idToken: 't', siteId: 'site1' })).siteId).toBe('site1');
    open();
    // Open: the call goes at once, without asking whether the session is ready.
    const gatedWait = { isReady: () => true, whenReady: () => Promise.reject(new Error('asked although open')) };
    await expect(withSessionGate(backend, gatedWait).getIndexChanges('site1', 0)).resolves.toMatchObject({ epoch: backend.epoch });
  });
});
