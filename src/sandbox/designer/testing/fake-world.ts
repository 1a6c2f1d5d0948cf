/**
 * A small in-memory DesignerWorld over a generated demo site, for the routes' unit tests.
 * The Chromium test runs against the real sandbox world instead.
 */
import { generateDemoSite } from '../../seed/index.ts';
import type { DemoSite, SeedAsset } from '../../seed/types.ts';
import { siteInfoOf } from '../site-info.ts';
import { DesignerFailure, type DesignerAsset, type DesignerWorld, type NewFile } from '../port.ts';

export interface FakeWorld extends DesignerWorld {
  demo: DemoSite;
  /** Alt text as stored (no fallback), to check what a setter wrote. */
  storedAltText(assetId: string): Record<string, string | null>;
  issuedTokens: string[];
}

export function createFakeWorld(assets = 30): FakeWorld {
  const demo = generateDemoSite({ assets, seed: 42 });
  const siteId = demo.site.id;
  const localeIds = [demo.site.locales.primary.id, ...demo.site.locales.secondary.map((l) => l.id)];
  const issuedTokens: string[] = [];
  let next = 0;
  const newId = (): string => (0xabc000000000 + (next += 1)).toString(16).padStart(24, '0');

  const checkSite = (id: string): void => {
    if (id !== siteId) throw new DesignerFailure('ResourceMissing', `No site ${id}.`);
  };
  const find = (id: string): SeedAsset | undefined => demo.assets.find((a) => a.id === id);
  const view = (a: SeedAsset): DesignerAsset => ({
    id: a.id,
    folderId: a.folderId,
    displayName: a.displayName,
    contentType: a.file.contentType,
    hostedUrl: `https://cdn.example/${siteId}/${a.id}_${encodeURIComponent(a.originalFileName)}`,
  });
  const strict = (s: string, id: string): SeedAsset => {
    checkSite(s);
    const found = find(id);
    if (!found) throw new DesignerFailure('ResourceMissing', `No asset ${id}.`);
    return found;
  };

  return {
    demo,
    issuedTokens,
    storedAltText: (id) => ({ ...find(id)?.altText }),
    siteInfo(id) {
      checkSite(id);
      return siteInfoOf(demo.site);
    },
    localeIds(id) {
      checkSite(id);
      return localeIds;
    },
    issueIdToken(id) {
      checkSite(id);
      const token = `id-token-${issuedTokens.length + 1}`;
      issuedTokens.push(token);
      return token;
    },
    listAssetIds(id) {
      checkSite(id);
      return demo.assets.map((a) => a.id);
    },
    findAsset(id, assetId) {
      checkSite(id);
      const found = find(assetId);
      return found ? view(found) : undefined;
    },
    altText(id, assetId, localeId) {
      const found = strict(id, assetId);
      const own = found.altText[localeId];
      return own === undefined ? (found.altText[localeIds[0] as string] ?? '') : own;
    },
    updateAsset(id, assetId, change) {
      const found = strict(id, assetId);
      if (change.displayName !== undefined) found.displayName = change.displayName;
      if (change.altText !== undefined) found.altText[change.localeId ?? (localeIds[0] as string)] = change.altText;
      if (change.folderId !== undefined) found.folderId = change.folderId;
    },
    createAsset(id, file: NewFile) {
      checkSite(id);
      const created: SeedAsset = {
        id: newId(),
        folderId: null,
        originalFileName: file.fileName,
        displayName: file.fileName,
        createdOn: new Date(0).toISOString(),
        lastUpdated: new Date(0).toISOString(),
        altText: { [localeIds[0] as string]: '' },
        file: { bytes: file.bytes, contentType: file.contentType },
      };
      demo.assets.push(created);
      return view(created);
    },
    replaceFile(id, assetId, file) {
      const found = strict(id, assetId);
      found.file = { bytes: file.bytes, contentType: file.contentType };
      found.originalFileName = file.fileName;
    },
    listFolders(id) {
      checkSite(id);
      return demo.folders.map(({ id: folderId, displayName, parentFolder }) => ({ id: folderId, displayName, parentFolder }));
    },
    createFolder(id, folder) {
      checkSite(id);
      const created = { id: newId(), displayName: folder.displayName, parentFolder: folder.parentFolder, createdOn: '', lastUpdated: '' };
      demo.folders.push(created);
      return created;
    },
  };
}
