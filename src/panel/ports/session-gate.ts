/**
 * A backend port whose calls wait for the session: the desk may show the index kept from the
 * last open while the session opens (src/panel/index-cache/), and what the designer does then
 * (an alt text saved, a folder opened) reaches the backend once it is open, or fails with the
 * session's error when it cannot open.
 */
import type { BackendPort } from './backend.ts';
import { wrapCalls } from './wrap-calls.ts';

/** Not held: the session's own calls, and the thumbnail's URL (made here, not asked: a string). */
const UNHELD = new Set<PropertyKey>(['createSession', 'setSessionToken', 'thumbnailUrl']);

export interface SessionGate {
  /** The session is open now: calls go at once, as if there were no gate. */
  isReady(): boolean;
  /** Resolves when it is open; rejects when it cannot open. */
  whenReady(): Promise<void>;
}

export function withSessionGate(backend: BackendPort, session: SessionGate): BackendPort {
  return wrapCalls(backend, UNHELD, (call, args) => (session.isReady() ? call(...args) : session.whenReady().then(() => call(...args))));
}
