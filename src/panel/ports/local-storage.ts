/** The browser's localStorage, or null where the panel's frame may not use it (storage blocked for third parties, or none). */
export function safeLocalStorage(): Storage | null {
  try {
    return globalThis.localStorage ?? null;
  } catch {
    return null;
  }
}
