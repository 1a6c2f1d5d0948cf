// @vitest-environment happy-dom
import { cleanup, fireEvent, screen } from '@testing-library/preact';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { encodeCompactIndex } from '../../core/compact-index.ts';
import { createKeptIndex } from '../index-cache/index-cache.ts';
import { INSTALLED_MESSAGE } from '../../core/api.ts';
import { READ_ONLY_REASON } from '../models/session.ts';
import { FakeBackend, makeAsset, MemoryIndexCache } from '../testing/fakes.ts';
import { BackendError } from '../ports/backend.ts';
import { BACKEND_ORIGIN, gridReady, renderPanel } from '../testing/render-panel.tsx';

afterEach(cleanup);

describe('opening the panel', () => {
  it('opens a session with the Designer’s ID token and shows the site’s assets', async () => {
    const { backend, designer } = renderPanel({ assets: [makeAsset(1), makeAsset(2)] });
    await gridReady();
    expect(screen.getByRole('textbox', { name: 'Alt text for photo-1.jpg' })).toBeTruthy();
    expect(backend.token).toBe('session-1-id-token-1');
    expect(designer.sizes).toEqual(['large']);
    expect(screen.getByRole('searchbox', { name: 'Search assets' })).toBeTruthy();
  });

  /** A panel over a backend whose session opens when the test says, with the site's index kept from an earlier open. */
  async function withKeptIndex() {
    const backend = new FakeBackend({ assets: [makeAsset(1, { altText: 'Kept alt text' }), makeAsset(2)] });
    const cache = new MemoryIndexCache(BACKEND_ORIGIN);
    await cache.write('site1', JSON.stringify(encodeCompactIndex(backend.wholeIndex())));
    const kept = createKeptIndex(cache);
    const whole = vi.spyOn(backend, 'getIndex');
    const session = backend.holdSessions();
    renderPanel({ backend, keptIndex: kept });
    return { backend, whole, openSession: session.open, failSession: session.fail };
  }

  it('shows the kept index while the session opens; an alt text saved then reaches the backend once it is open, and the whole index is never read', async () => {
    const { backend, whole, openSession } = await withKeptIndex();
    await gridReady();
    expect(backend.token).toBeNull();
    const field = screen.getByRole('textbox', { name: 'Alt text for photo-1.jpg' }) as HTMLInputElement;
    expect(field.value).toBe('Kept alt text');
    fireEvent.input(field, { target: { value: 'Written before the session' } });
    fireEvent.keyDown(field, { key: 'Enter' });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(backend.batches).toHaveLength(0);
    openSession();
    await vi.waitFor(() => expect(backend.batches.flatMap((batch) => batch.changes.map((change) => change.after))).toEqual(['Written before the session']));
    expect(backend.token).toBe('session-1-id-token-1');
    expect(whole).not.toHaveBeenCalled();
  });

  it('leaves the kept index for the error when the session cannot open', async () => {
    const { failSession } = await withKeptIndex();
    await gridReady();
    failSession(new BackendError(0, 'network', 'Asset Desk’s server is restarting.'));
    expect((await screen.findByRole('alert')).textContent).toMatch(/restarting/);
    expect(screen.queryByRole('grid')).toBeNull();
    expect(screen.getByRole('button', { name: 'Try again' })).toBeTruthy();
  });

  it('waits for the session before showing anything when no index is kept', async () => {
    const backend = new FakeBackend({ assets: [makeAsset(1)] });
    const kept = createKeptIndex(new MemoryIndexCache(BACKEND_ORIGIN));
    const has = vi.spyOn(kept, 'has');
    const session = backend.holdSessions();
    renderPanel({ backend, keptIndex: kept });
    await vi.waitFor(() => expect(has).toHaveBeenCalledWith('site1'));
    await has.mock.results[0]?.value;
    expect(screen.getByRole('heading', { name: 'Opening Asset Desk…' })).toBeTruthy();
    expect(screen.queryByRole('grid')).toBeNull();
    session.open();
    await gridReady();
  });

  it('offers the install when the site has not installed the app, and continues when the install window reports success', async () => {
    const { backend, designer, popups } = renderPanel({ assets: [makeAsset(1)], installed: false });
    const install = await screen.findByRole('button', { name: 'Install Asset Desk' });
    fireEvent.click(install);
    expect(popups).toEqual(['https://backend.example/install?site=site1']);
    await screen.findByText('Waiting for the install to finish in the other window…');

    // A message from another origin is ignored: the panel asks the Designer for no ID token
    // (a start asks for it before its first await, so a honoured message would show at once).
    backend.installed = true;
    const idTokensBefore = designer.idTokens;
    window.dispatchEvent(new MessageEvent('message', { origin: 'https://evil.example', data: { type: INSTALLED_MESSAGE } }));
    expect(designer.idTokens).toBe(idTokensBefore);
    expect(screen.queryByRole('grid')).toBeNull();

    window.dispatchEvent(new MessageEvent('message', { origin: BACKEND_ORIGIN, data: { type: INSTALLED_MESSAGE, siteId: 'site1' } }));
    expect(designer.idTokens).toBe(idTokensBefore + 1);
    await gridReady();
    expect(screen.getByRole('textbox', { name: 'Alt text for photo-1.jpg' })).toBeTruthy();
  });

  it('says how to go on when the browser blocks the install window', async () => {
    const { popupsAllowed } = renderPanel({ assets: [makeAsset(1)], installed: false });
    popupsAllowed.value = false;
    fireEvent.click(await screen.findByRole('button', { name: 'Install Asset Desk' }));
    expect((await screen.findByRole('alert')).textContent).toMatch(/^Your browser blocked the install window\. Allow pop-ups/);
  });

  it('is read only and says why when the user cannot manage assets', async () => {
    const { backend } = renderPanel({ assets: [makeAsset(1)], canManage: false });
    await gridReady();
    expect(screen.getByRole('note').textContent).toBe(READ_ONLY_REASON);
    const field = screen.getByRole<HTMLInputElement>('textbox', { name: 'Alt text for photo-1.jpg' });
    expect(field.readOnly).toBe(true);
    expect(screen.getByRole<HTMLInputElement>('checkbox', { name: 'Decorative: photo-1.jpg' }).disabled).toBe(true);
    expect(backend.leases).toEqual([]);
  });

  it('renews an expired session once and carries on with the refused call', async () => {
    const { backend } = renderPanel({ assets: [makeAsset(1)] });
    await gridReady();
    const { BackendError } = await import('../ports/backend.ts');
    backend.failNext.recordBatch = new BackendError(401, 'unauthorized', 'Your session has expired.');
    const field = screen.getByRole('textbox', { name: 'Alt text for photo-1.jpg' });
    fireEvent.input(field, { target: { value: 'A quiet harbour' } });
    fireEvent.keyDown(field, { key: 'Enter' });
    await screen.findByText('Saved alt text of photo-1.jpg.');
    expect(backend.sessions).toBe(2);
    expect(backend.token).toBe('session-2-id-token-2');
    expect(backend.changes).toHaveLength(1);
  });

  it('says what went wrong and retries when the backend cannot be reached', async () => {
    const { backend } = renderPanel({ assets: [makeAsset(1)] });
    const { BackendError } = await import('../ports/backend.ts');
    backend.failNext.createSession = new BackendError(0, 'network', 'Asset Desk’s server can’t be reached.');
    cleanup();
    renderPanel({ backend, assets: backend.assets });
    expect((await screen.findByRole('alert')).textContent).toBe('Asset Desk’s server can’t be reached.');
    fireEvent.click(screen.getByRole('button', { name: 'Try again' }));
    await gridReady();
  });
});
