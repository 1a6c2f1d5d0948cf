/**
 * Which asset goes where on the demo site. Every image slot (an Image element, a CMS Image,
 * a gallery image, an inline rich-text image) asks for an asset from the pool that suits it
 * (logos for the header, team photos for team members…). Each asset is placed once before any
 * is placed twice, and a fixed share of the library (documents first, then images) is kept out
 * of every slot: the assets "used nowhere" that the usage index must find.
 */
import type { Random } from './random.ts';

/** Share of the site's assets that no page, component or CMS item uses. */
export const UNUSED_SHARE = 0.15;

export type Pool = 'logo' | 'brand' | 'blog' | 'coffee' | 'equipment' | 'team' | 'general';

export interface PlaceableAsset {
  id: string;
  contentType: string;
  folderId: string | null;
  /** Per locale id; '' = none, null = decorative. */
  altText: Record<string, string | null>;
}

export interface PlaceableFolder {
  id: string;
  displayName: string;
  parentFolder: string | null;
}

/** The pool of a folder, by its name or its parent's (the demo's folders: Brand/Logos, Blog/2024…). */
const POOL_OF_FOLDER: Record<string, Pool> = {
  Logos: 'logo',
  Brand: 'brand',
  Blog: 'blog',
  Products: 'coffee',
  Coffee: 'coffee',
  Equipment: 'equipment',
  Team: 'team',
};

export interface Picker {
  /** An image asset for a slot of this pool, or undefined when the site has no image at all. */
  pick(pool: Pool): PlaceableAsset | undefined;
  /** Images meant to be used that no slot took yet (the generator places them in blog bodies). */
  takeUnplaced(): PlaceableAsset[];
}

export const isImage = (asset: Pick<PlaceableAsset, 'contentType'>): boolean => asset.contentType.startsWith('image/');

export function createPicker(random: Random, assets: readonly PlaceableAsset[], folders: readonly PlaceableFolder[]): Picker {
  const byId = new Map(folders.map((f) => [f.id, f]));
  const poolOf = (asset: PlaceableAsset): Pool => {
    for (let folder = asset.folderId ? byId.get(asset.folderId) : undefined; folder; folder = folder.parentFolder ? byId.get(folder.parentFolder) : undefined) {
      const pool = POOL_OF_FOLDER[folder.displayName];
      if (pool) return pool;
    }
    return 'general';
  };
  const images = shuffle(random, assets.filter(isImage));
  const others = assets.length - images.length;
  const keepUnused = Math.max(0, Math.min(images.length, Math.round(UNUSED_SHARE * assets.length) - others));
  const used = images.slice(keepUnused);

  const unplaced = new Map<Pool, PlaceableAsset[]>();
  const placed = new Map<Pool, PlaceableAsset[]>();
  const add = (map: Map<Pool, PlaceableAsset[]>, pool: Pool, asset: PlaceableAsset): PlaceableAsset => {
    const list = map.get(pool);
    if (list) list.push(asset);
    else map.set(pool, [asset]);
    return asset;
  };
  for (const asset of used) add(unplaced, poolOf(asset), asset);
  const place = (pool: Pool, asset: PlaceableAsset): PlaceableAsset => add(placed, pool, asset);

  return {
    pick(pool) {
      const fresh = unplaced.get(pool)?.shift();
      if (fresh) return place(pool, fresh);
      const again = placed.get(pool);
      if (again?.length) return random.pick(again);
      // A small site without this kind of image: any unplaced one, else any placed one.
      for (const [other, list] of unplaced) {
        const asset = list.shift();
        if (asset) return place(other, asset);
      }
      const any = [...placed.values()].flat();
      return any.length ? random.pick(any) : undefined;
    },
    takeUnplaced() {
      const rest = [...unplaced.values()].flat();
      unplaced.clear();
      return rest;
    },
  };
}

function shuffle<T>(random: Random, items: readonly T[]): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i -= 1) {
    const j = random.int(0, i);
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

/** A UUID-shaped id (Webflow's DOM nodes and components have these). */
export function uuid(random: Random): string {
  const hex = random.objectId() + random.objectId();
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
