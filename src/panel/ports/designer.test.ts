import { describe, expect, it } from 'vitest';
import { createDesignerPort } from './designer.ts';

/** Just the part of the Designer API the port uses, counting round trips. */
function fakeWebflow() {
  const calls: string[] = [];
  const folders = [{ id: 'f1', getName: async () => 'Products' }];
  const state = { alt: 'Old' as string | null, fr: null as string | null, name: 'photo.jpg', parent: null as (typeof folders)[number] | null };
  const asset = {
    id: 'a1',
    getAltText: async (localeId?: string) => (calls.push(`getAltText:${localeId ?? ''}`), localeId ? state.fr : state.alt),
    setAltText: async (text: string | null, localeId?: string) => {
      calls.push(`setAltText:${localeId ?? ''}`);
      if (localeId) state.fr = text;
      else state.alt = text;
      return null;
    },
    getName: async () => state.name,
    setName: async (name: string) => ((state.name = name), null),
    getParent: async () => state.parent,
    setParent: async (folder: (typeof folders)[number]) => ((state.parent = folder), null),
  };
  const api = {
    appModes: { canManageAssets: 'canManageAssets' },
    getSiteInfo: async () => ({ siteId: 'site1', siteName: 'Demo', shortName: 'demo' }),
    getIdToken: async () => 'id-token',
    notify: async (options: unknown) => void calls.push(`notify:${JSON.stringify(options)}`),
    setExtensionSize: async (size: unknown) => (calls.push(`size:${String(size)}`), null),
    canForAppMode: async (modes: string[]) => Object.fromEntries(modes.map((mode) => [mode, false])),
    getAssetById: async (id: string) => (calls.push(`getAssetById:${id}`), id === 'a1' ? asset : null),
    getAllAssetFolders: async () => (calls.push('getAllAssetFolders'), folders),
    getAllAssets: async () => (calls.push('getAllAssets'), [asset, ...Array.from({ length: 20 }, (_, i) => ({ ...asset, id: `b${i}` }))]),
  };
  return { api: api as unknown as WebflowApi, calls, state };
}

describe('the Designer port', () => {
  it('opens editable when the Designer cannot answer the ability check', async () => {
    const { api } = fakeWebflow();
    const broken = { ...api, canForAppMode: async () => Promise.reject(new Error('not supported')) } as unknown as WebflowApi;
    const warn = console.warn;
    console.warn = () => undefined;
    try {
      expect(await createDesignerPort(broken).canManageAssets()).toBe(true);
    } finally {
      console.warn = warn;
    }
  });

  it('reads and writes alt text per locale, asking the Designer for the asset only once', async () => {
    const { api, calls, state } = fakeWebflow();
    const designer = createDesignerPort(api);
    expect(await designer.getAltText('a1', null)).toBe('Old');
    await designer.setAltText('a1', 'New', null);
    await designer.setAltText('a1', null, 'fr');
    expect(state).toMatchObject({ alt: 'New', fr: null });
    expect(calls.filter((call) => call.startsWith('getAssetById'))).toHaveLength(1);
    expect(calls).toContain('setAltText:fr');
  });

  it('readies many handles with one listing instead of a lookup each, and few with lookups', async () => {
    const { api, calls } = fakeWebflow();
    const designer = createDesignerPort(api);
    const many = Array.from({ length: 20 }, (_, i) => `b${i}`);
    await Promise.all([designer.prepareAssets?.(many), designer.prepareAssets?.(many)]);
    await Promise.all(many.map((id) => designer.getAltText(id, null)));
    expect(calls.filter((call) => call === 'getAllAssets')).toHaveLength(1);
    expect(calls.filter((call) => call.startsWith('getAssetById'))).toHaveLength(0);

    const few = fakeWebflow();
    const other = createDesignerPort(few.api);
    await other.prepareAssets?.(['a1']);
    await other.getAltText('a1', null);
    expect(few.calls.filter((call) => call === 'getAllAssets')).toHaveLength(0);
    expect(few.calls.filter((call) => call.startsWith('getAssetById'))).toEqual(['getAssetById:a1']);
  });

  it('moves an asset to a folder by id and reports its folder', async () => {
    const { api } = fakeWebflow();
    const designer = createDesignerPort(api);
    expect(await designer.getFolderId('a1')).toBeNull();
    await designer.setFolder('a1', 'f1');
    expect(await designer.getFolderId('a1')).toBe('f1');
    await expect(designer.setFolder('a1', 'gone')).rejects.toThrow('The folder gone is no longer on this site; pick another folder.');
  });

  it('says when an asset no longer exists, and asks again next time', async () => {
    const { api, calls } = fakeWebflow();
    const designer = createDesignerPort(api);
    await expect(designer.getName('missing')).rejects.toThrow('The asset missing is no longer on this site');
    await expect(designer.getName('missing')).rejects.toThrow();
    expect(calls.filter((call) => call === 'getAssetById:missing')).toHaveLength(2);
  });

  it('offers the canvas only where the Designer API has it', () => {
    const { api } = fakeWebflow();
    expect(createDesignerPort(api).canvas).toBeUndefined();
    const withCanvas = { ...api, getAllElements: async () => [], getCurrentPage: async () => ({ id: 'p' }), subscribe: () => () => undefined };
    expect(createDesignerPort(withCanvas as unknown as WebflowApi).canvas).toBeDefined();
  });

  it('asks canForAppMode whether the user can manage assets, and passes notices and sizes through', async () => {
    const { api, calls } = fakeWebflow();
    const designer = createDesignerPort(api);
    expect(await designer.canManageAssets()).toBe(false);
    await designer.notify('Success', 'Done');
    await designer.setExtensionSize('large');
    expect(calls).toEqual(['notify:{"type":"Success","message":"Done"}', 'size:large']);
    expect(await designer.getSiteInfo()).toEqual({ siteId: 'site1', siteName: 'Demo' });
  });
});
