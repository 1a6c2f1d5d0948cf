/**
 * Keeps the sandbox's world in a folder between runs (`--data DIR`): `world.json` holds the
 * metadata, `files/<assetId>` each asset's bytes, written once per file. Saves are coalesced
 * (a bulk edit of 1,000 alt texts writes the JSON a few times, not 1,000) and atomic (a temporary
 * file renamed over the old one), so a killed sandbox never leaves a half-written world.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { WorldAsset, WorldState } from './world.ts';

const SAVE_DELAY_MS = 200;

type StoredAsset = Omit<WorldAsset, 'file'> & { file: { width?: number; height?: number } | null };
type StoredState = Omit<WorldState, 'assets'> & { version: 1; assets: StoredAsset[] };

export function loadWorldState(dir: string): WorldState | undefined {
  const path = join(dir, 'world.json');
  if (!existsSync(path)) return undefined;
  const stored = JSON.parse(readFileSync(path, 'utf8')) as StoredState;
  if (stored.version !== 1) throw new Error(`${path} was written by another version of the sandbox; delete ${dir} to start afresh.`);
  const assets: WorldAsset[] = stored.assets.map((asset) => {
    if (!asset.file) return { ...asset, file: null };
    const bytes = new Uint8Array(readFileSync(join(dir, 'files', asset.id)));
    return { ...asset, file: { ...asset.file, bytes } };
  });
  const { version: _version, ...rest } = stored;
  return { ...rest, assets };
}

export interface WorldSaver {
  /** Schedules a save; many calls in a row write once. */
  schedule(): void;
  /** Writes now (on close). */
  flush(): void;
}

/** `loaded`: the state came from this folder, so its files are on disk already. */
export function createWorldSaver(dir: string, state: () => WorldState, loaded: boolean): WorldSaver {
  mkdirSync(join(dir, 'files'), { recursive: true });
  /** Which bytes each file on disk holds, so unchanged files are not written again. */
  const written = new Map<string, Uint8Array>();
  if (loaded) for (const asset of state().assets) if (asset.file) written.set(asset.id, asset.file.bytes);
  let timer: NodeJS.Timeout | undefined;

  function flush(): void {
    if (timer) clearTimeout(timer);
    timer = undefined;
    const current = state();
    const assets: StoredAsset[] = current.assets.map((asset) => {
      if (!asset.file) return { ...asset, file: null };
      const { bytes, ...size } = asset.file;
      if (written.get(asset.id) !== bytes) {
        writeFileSync(join(dir, 'files', asset.id), bytes);
        written.set(asset.id, bytes);
      }
      return { ...asset, file: size };
    });
    const stored: StoredState = { ...current, version: 1, assets };
    const path = join(dir, 'world.json');
    writeFileSync(`${path}.tmp`, JSON.stringify(stored));
    renameSync(`${path}.tmp`, path);
  }

  return {
    schedule() {
      timer ??= setTimeout(flush, SAVE_DELAY_MS);
    },
    flush,
  };
}
