import { afterEach, describe, expect, it, vi } from 'vitest';
import { INSTALLED_MESSAGE as CONTRACT_MESSAGE } from '../../core/api.ts';
import { FakeBackend, FakeDesigner } from '../testing/fakes.ts';
import { createSessionModel, INSTALLED_MESSAGE } from './session.ts';

const messages = { addEventListener: () => undefined, removeEventListener: () => undefined };

afterEach(() => vi.useRealTimers());

describe('the session', () => {
  it('renews the backend session silently before it expires', async () => {
    vi.useFakeTimers();
    const backend = new FakeBackend({ sessionMs: 10 * 60_000 });
    const designer = new FakeDesigner();
    const session = createSessionModel({ backend, designer, backendOrigin: 'https://b', messages, renewBeforeMs: 2 * 60_000 });
    await session.start();
    expect(session.state.value).toBe('ready');
    expect(backend.token).toBe('session-1-id-token-1');

    await vi.advanceTimersByTimeAsync(7 * 60_000);
    expect(backend.token).toBe('session-1-id-token-1');
    await vi.advanceTimersByTimeAsync(60_000 + 10);
    expect(backend.token).toBe('session-2-id-token-2');
    expect(session.state.value).toBe('ready');
    session.dispose();
  });

  it('says whether the user may change assets before the session opens, and tells waiting calls when it opens or cannot', async () => {
    const backend = new FakeBackend();
    const designer = new FakeDesigner();
    designer.canManage = false;
    const held = backend.holdSessions();
    const session = createSessionModel({ backend, designer, backendOrigin: 'https://b', messages });
    const starting = session.start();
    const ready = session.whenReady();
    await vi.waitFor(() => expect(session.abilitiesKnown.value).toBe(true));
    expect(session.state.value).toBe('starting');
    expect(session.readOnlyReason.value).not.toBeNull();
    held.open();
    await starting;
    await expect(ready).resolves.toBeUndefined();
    await expect(session.whenReady()).resolves.toBeUndefined();
    session.dispose();

    const uninstalled = new FakeBackend({ installed: false });
    const refused = createSessionModel({ backend: uninstalled, designer: new FakeDesigner(), backendOrigin: 'https://b', messages });
    const waiting = refused.whenReady();
    await refused.start();
    expect(refused.state.value).toBe('not_installed');
    await expect(waiting).rejects.toMatchObject({ code: 'unauthorized' });
    refused.dispose();
  });

  it('asks the Designer for the ID token and the abilities without waiting for the site info', async () => {
    const backend = new FakeBackend();
    const designer = new FakeDesigner();
    let answerSiteInfo!: () => void;
    const siteInfo = designer.getSiteInfo.bind(designer);
    vi.spyOn(designer, 'getSiteInfo').mockImplementation(() => new Promise((resolve) => (answerSiteInfo = () => resolve(siteInfo()))));
    const abilities = vi.spyOn(designer, 'canManageAssets');
    const session = createSessionModel({ backend, designer, backendOrigin: 'https://b', messages });
    const starting = session.start();
    expect(abilities).toHaveBeenCalledTimes(1);
    expect(designer.idTokens).toBe(1);
    await vi.waitFor(() => expect(session.abilitiesKnown.value).toBe(true));
    expect(session.siteId.value).toBeNull();
    answerSiteInfo();
    await starting;
    expect(session.state.value).toBe('ready');
    session.dispose();

    // A site info that fails still fails the start (the abilities' answer is not left unhandled).
    const failing = new FakeDesigner();
    vi.spyOn(failing, 'getSiteInfo').mockRejectedValue(new Error('The Designer is not ready.'));
    vi.spyOn(failing, 'canManageAssets').mockRejectedValue(new Error('No app modes.'));
    const failed = createSessionModel({ backend, designer: failing, backendOrigin: 'https://b', messages });
    await failed.start();
    expect(failed.state.value).toBe('failed');
    expect(failed.error.value).toMatch(/not ready/);
    failed.dispose();
  });

  it('tries the renewal again shortly when it fails, keeping the panel open', async () => {
    vi.useFakeTimers();
    const backend = new FakeBackend({ sessionMs: 3 * 60_000 });
    const session = createSessionModel({ backend, designer: new FakeDesigner(), backendOrigin: 'https://b', messages, renewBeforeMs: 2 * 60_000 });
    await session.start();
    const { BackendError } = await import('../ports/backend.ts');
    backend.failNext.createSession = new BackendError(0, 'network', 'offline');
    await vi.advanceTimersByTimeAsync(60_000 + 10);
    expect(session.error.value).toBe('Your session could not be renewed: offline');
    expect(session.state.value).toBe('ready');
    await vi.advanceTimersByTimeAsync(20_000);
    expect(backend.sessions).toBe(2);
    expect(session.error.value).toBeNull();
    session.dispose();
  });

  it('listens for the same install message the backend sends', () => {
    expect(INSTALLED_MESSAGE).toBe(CONTRACT_MESSAGE);
  });
});
