/**
 * The last index body the panel read for each site, kept in the browser (IndexedDB) between opens:
 * the next open shows it at once and asks the backend only what changed since its version
 * (docs/decisions/kept-index.md). At 100,000 assets the body is ~15 MB; reading it from disk
 * costs a fraction of reading it from the network and of the backend building it.
 *
 * Kept as the text the backend sent (the compact layout), not as objects: one block is stored and
 * read back, where 100,000 objects would be cloned one by one. The block is a Blob: IndexedDB
 * hands a stored string back on the main thread (~120 ms for 15 MB in Chromium, the panel
 * standing still), a Blob's bytes are read off it. A few sites are
 * kept (the most recently written); each key also names the backend, so a panel pointed at
 * another backend (the sandbox, a staging server) never reads another store's body.
 */
import type { IndexResponse } from '../../core/api.ts';
import { readIndexBody } from '../ports/index-body.ts';

export interface IndexCache {
  /** The backend whose bodies these are (part of every key). */
  readonly backend: string;
  /** The body kept for the site, or undefined. Never rejects: a browser that refuses reads as empty. */
  read(siteId: string): Promise<string | undefined>;
  /** Keeps the body for the site (the older of too many sites are dropped). Never rejects. */
  write(siteId: string, body: string): Promise<void>;
  /** Drops the site's body (it could not be read). Never rejects. */
  forget(siteId: string): Promise<void>;
}

const DATABASE = 'asset-desk';
const STORE = 'indexes';
const BY_TIME = 'savedAt';
/** Sites kept: a designer moves between a few sites; each body may be 15 MB. */
export const KEPT_SITES = 4;

interface Kept {
  key: string;
  /** The body's UTF-8 bytes (a string in bodies kept by the panel before it kept Blobs). */
  body: Blob | string;
  savedAt: number;
}

function done<T>(request: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error ?? new Error('IndexedDB request failed'));
  });
}

function finished(transaction: IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    transaction.oncomplete = () => resolve();
    transaction.onabort = () => reject(transaction.error ?? new Error('IndexedDB transaction aborted'));
    transaction.onerror = () => reject(transaction.error ?? new Error('IndexedDB transaction failed'));
  });
}

export interface IndexCacheOptions {
  /** The backend's base URL: part of every key. */
  backend: string;
  /** The browser's IndexedDB (tests pass fake-indexeddb's). */
  indexedDB: IDBFactory;
  /** Told when the browser refuses a read or a write (quota, private mode); the panel carries on. */
  onError?: (error: unknown) => void;
  now?: () => number;
}

export function createIndexCache(options: IndexCacheOptions): IndexCache {
  const { indexedDB } = options;
  const onError = options.onError ?? (() => undefined);
  const now = options.now ?? Date.now;
  const keyOf = (siteId: string) => `${options.backend}\n${siteId}`;
  let opening: Promise<IDBDatabase> | undefined;

  function open(): Promise<IDBDatabase> {
    opening ??= new Promise<IDBDatabase>((resolve, reject) => {
      const request = indexedDB.open(DATABASE, 1);
      request.onupgradeneeded = () => {
        const store = request.result.createObjectStore(STORE, { keyPath: 'key' });
        store.createIndex(BY_TIME, 'savedAt');
      };
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error ?? new Error('IndexedDB could not be opened'));
      request.onblocked = () => reject(new Error('IndexedDB is blocked by another tab of an older Asset Desk'));
    }).catch((error: unknown) => {
      opening = undefined;
      throw error;
    });
    return opening;
  }

  async function guarded<T>(work: () => Promise<T>, fallback: T): Promise<T> {
    try {
      return await work();
    } catch (error) {
      onError(error);
      return fallback;
    }
  }

  return {
    backend: options.backend,
    read: (siteId) =>
      guarded(async () => {
        const db = await open();
        const kept = (await done(db.transaction(STORE, 'readonly').objectStore(STORE).get(keyOf(siteId)))) as Kept | undefined;
        const body = kept?.body;
        return body instanceof Blob ? await body.text() : typeof body === 'string' ? body : undefined;
      }, undefined),

    write: (siteId, body) =>
      guarded(async () => {
        const db = await open();
        const transaction = db.transaction(STORE, 'readwrite');
        const store = transaction.objectStore(STORE);
        store.put({ key: keyOf(siteId), body: new Blob([body], { type: 'application/json' }), savedAt: now() } satisfies Kept);
        // Oldest first: all but the newest KEPT_SITES go (this one is the newest).
        const keys = await done(store.index(BY_TIME).getAllKeys());
        for (const key of keys.slice(0, Math.max(0, keys.length - KEPT_SITES))) store.delete(key);
        await finished(transaction);
      }, undefined),

    forget: (siteId) =>
      guarded(async () => {
        const db = await open();
        const transaction = db.transaction(STORE, 'readwrite');
        transaction.objectStore(STORE).delete(keyOf(siteId));
        await finished(transaction);
      }, undefined),
  };
}

/**
 * The kept index read ahead: the read from IndexedDB and the decoding start before the open
 * needs them. The Designer names the site only after a round trip; the site opened last (most
 * panels open on the same site again) is read from the panel's first moment, and dropped once the
 * Designer names another.
 */
export interface KeptIndex {
  /** Starts reading and decoding the kept index of the site this panel opened last, if it remembers one. */
  warmLast(): void;
  /** Starts reading and decoding the site's kept index, unless that has started; remembers the site as the one opened last. */
  warm(siteId: string): void;
  /** Whether the site has a kept index this panel can read (starts reading it, as {@link warm} does). */
  has(siteId: string): Promise<boolean>;
  /**
   * The site's kept index, decoded; undefined when there is none or it cannot be read (a body of
   * an older panel, damaged, or another site's: then it is dropped). Taken: the next take reads again.
   */
  take(siteId: string): Promise<IndexResponse | undefined>;
  /** Keeps the body just read from the backend. Never rejects. */
  write(siteId: string, body: string): Promise<void>;
}

export interface KeptIndexOptions {
  /** Where the site opened last is remembered (localStorage); none: nothing is read before the Designer names the site. */
  storage?: Pick<Storage, 'getItem' | 'setItem'> | null;
}

/** The storage key of the site opened last, per backend (as the kept bodies are). */
export const lastSiteKey = (backend: string): string => `asset-desk:last-site:${backend}`;

export function createKeptIndex(cache: IndexCache, options: KeptIndexOptions = {}): KeptIndex {
  const reading = new Map<string, Promise<IndexResponse | undefined>>();
  const storage = options.storage ?? null;
  const lastKey = lastSiteKey(cache.backend);

  async function read(siteId: string): Promise<IndexResponse | undefined> {
    const body = await cache.read(siteId);
    if (body === undefined) return undefined;
    try {
      const index = readIndexBody(body);
      if (index.site.id === siteId) return index;
    } catch {
      // Kept by an older panel, or damaged: dropped below; the open reads the whole index.
    }
    await cache.forget(siteId);
    return undefined;
  }

  function warmed(siteId: string): Promise<IndexResponse | undefined> {
    let started = reading.get(siteId);
    if (!started) {
      started = read(siteId);
      reading.set(siteId, started);
    }
    return started;
  }

  /** The Designer named the site: a read of another (the last site, guessed) is let go, and this one remembered. */
  function named(siteId: string): Promise<IndexResponse | undefined> {
    for (const other of reading.keys()) if (other !== siteId) reading.delete(other);
    try {
      storage?.setItem(lastKey, siteId);
    } catch {
      // Storage full or refused: the next open waits for the Designer's answer, as without storage.
    }
    return warmed(siteId);
  }

  return {
    warmLast() {
      let last: string | null = null;
      try {
        last = storage?.getItem(lastKey) ?? null;
      } catch {
        // Refused (a browser blocking storage in frames): nothing read ahead.
      }
      if (last) void warmed(last);
    },
    warm(siteId) {
      void named(siteId);
    },
    has: async (siteId) => (await named(siteId)) !== undefined,
    take(siteId) {
      const taken = reading.get(siteId) ?? read(siteId);
      reading.delete(siteId);
      return taken;
    },
    write: (siteId, body) => cache.write(siteId, body),
  };
}
