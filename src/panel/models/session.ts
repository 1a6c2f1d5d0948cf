/**
 * The session: who is using the panel on which site, and whether they may change assets.
 * Opens a backend session with the Designer's ID token, renews it silently before it expires,
 * and walks the user through installing the app when the site has not installed it yet.
 */
import { computed, effect, signal, type ReadonlySignal } from '@preact/signals';
import type { SessionUser } from '../../core/api.ts';
import { BackendError, isBackendError, type BackendPort } from '../ports/backend.ts';
import type { DesignerPort } from '../ports/designer.ts';
import { describeError } from './announcer.ts';

/**
 * The install popup's message type; the same as INSTALLED_MESSAGE in core/api.ts (a test holds
 * them equal), written here because importing values from api.ts would pull zod into the bundle.
 */
export const INSTALLED_MESSAGE = 'asset-desk:installed';

export type SessionState = 'starting' | 'not_installed' | 'installing' | 'ready' | 'failed';

export interface SessionModel {
  state: ReadonlySignal<SessionState>;
  siteId: ReadonlySignal<string | null>;
  siteName: ReadonlySignal<string>;
  user: ReadonlySignal<SessionUser | null>;
  /** Why the panel cannot change assets; null when it can. */
  readOnlyReason: ReadonlySignal<string | null>;
  /** The Designer has said whether the user may change assets (readOnlyReason is final). */
  abilitiesKnown: ReadonlySignal<boolean>;
  readOnly: ReadonlySignal<boolean>;
  error: ReadonlySignal<string | null>;
  installUrl: ReadonlySignal<string | null>;
  start(): Promise<void>;
  /**
   * Resolves once the session is open (at once when it is); rejects when this start ends without
   * one (not installed, failed), so calls held for it fail instead of waiting for ever.
   */
  whenReady(): Promise<void>;
  /** Opens a fresh session now (after the backend refused an expired one); true when it worked. */
  renew(): Promise<boolean>;
  /** Opens the install flow in a popup; the session starts when the backend reports success. */
  install(): void;
  dispose(): void;
}

export interface SessionOptions {
  backend: BackendPort;
  designer: DesignerPort;
  /** Only install messages from this origin are trusted (the backend's). */
  backendOrigin: string;
  /** Opens the install popup and says whether it opened; defaults to window.open. */
  openPopup?: (url: string) => boolean;
  /** Where install messages arrive; defaults to window. */
  messages?: Pick<Window, 'addEventListener' | 'removeEventListener'>;
  /** Renew this long before the session expires. */
  renewBeforeMs?: number;
}

export const READ_ONLY_REASON =
  "Read only: your role on this site can't manage assets. Ask a site admin for asset permissions to edit alt text, names and folders.";

export function createSessionModel(options: SessionOptions): SessionModel {
  const { backend, designer, backendOrigin } = options;
  const renewBeforeMs = options.renewBeforeMs ?? 2 * 60_000;
  const messages = options.messages ?? window;
  const openPopup = options.openPopup ?? ((url: string) => window.open(url, 'asset-desk-install', 'popup,width=520,height=680') !== null);

  const state = signal<SessionState>('starting');
  const siteId = signal<string | null>(null);
  const siteName = signal('');
  const user = signal<SessionUser | null>(null);
  const canManage = signal(true);
  const abilitiesKnown = signal(false);
  const error = signal<string | null>(null);
  const installUrl = signal<string | null>(null);
  let renewal: ReturnType<typeof setTimeout> | undefined;
  let renewing: Promise<boolean> | null = null;
  let disposed = false;

  async function openSession(site: string, asked: Promise<string> = designer.getIdToken()): Promise<void> {
    const idToken = await asked;
    const session = await backend.createSession({ idToken, siteId: site });
    backend.setSessionToken(session.sessionToken);
    user.value = session.user;
    error.value = null;
    scheduleRenewal(session.expiresAt);
  }

  function scheduleRenewal(expiresAt: string): void {
    clearTimeout(renewal);
    if (disposed) return;
    const wait = Math.max(5_000, Date.parse(expiresAt) - Date.now() - renewBeforeMs);
    renewal = setTimeout(() => {
      const site = siteId.value;
      if (!site) return;
      openSession(site).catch((failure: unknown) => {
        // A missed renewal is retried shortly; the current token may still be valid.
        error.value = `Your session could not be renewed: ${describeError(failure)}`;
        scheduleRenewal(new Date(Date.now() + renewBeforeMs + 15_000).toISOString());
      });
    }, wait);
  }

  async function start(): Promise<void> {
    state.value = 'starting';
    error.value = null;
    try {
      // Neither the ID token nor the user's abilities depend on the site info: the three Designer
      // calls go out together. The abilities are known before the session opens, so a desk shown
      // on the kept index is read only from the start when it must be.
      const idToken = designer.getIdToken();
      idToken.catch(() => undefined); // awaited below; not unhandled if the site info fails first
      const abilities = designer.canManageAssets().then((may) => {
        canManage.value = may;
        abilitiesKnown.value = true;
      });
      abilities.catch(() => undefined); // likewise
      const info = await designer.getSiteInfo();
      siteId.value = info.siteId;
      siteName.value = info.siteName;
      await Promise.all([abilities, openSession(info.siteId, idToken)]);
      state.value = 'ready';
    } catch (failure) {
      if (isBackendError(failure) && failure.code === 'not_installed') {
        const details = failure.details as { installUrl?: unknown } | undefined;
        installUrl.value = typeof details?.installUrl === 'string' ? details.installUrl : null;
        state.value = 'not_installed';
        return;
      }
      error.value = describeError(failure);
      state.value = 'failed';
    }
  }

  function onMessage(event: Event): void {
    const { origin, data } = event as MessageEvent<unknown>;
    if (origin !== backendOrigin) return;
    if (typeof data !== 'object' || data === null || (data as { type?: unknown }).type !== INSTALLED_MESSAGE) return;
    if (state.value !== 'installing' && state.value !== 'not_installed') return;
    void start();
  }
  messages.addEventListener('message', onMessage);

  return {
    state,
    siteId,
    siteName,
    user,
    readOnly: computed(() => !canManage.value),
    readOnlyReason: computed(() => (canManage.value ? null : READ_ONLY_REASON)),
    abilitiesKnown,
    error,
    installUrl,
    start,
    whenReady() {
      return new Promise<void>((resolve, reject) => {
        let settled = false;
        const stop = effect(() => {
          const now = state.value;
          if (settled || now === 'starting') return;
          settled = true;
          if (now === 'ready') resolve();
          else reject(new BackendError(0, 'unauthorized', error.peek() ?? 'Asset Desk could not open a session for this site.'));
          queueMicrotask(() => stop());
        });
      });
    },
    renew() {
      const site = siteId.value;
      if (!site || state.value !== 'ready') return Promise.resolve(false);
      // Many calls fail together when a session expires: they share one renewal.
      renewing ??= openSession(site)
        .then(() => true)
        .catch((failure: unknown) => {
          error.value = `Your session could not be renewed: ${describeError(failure)}`;
          return false;
        })
        .finally(() => {
          renewing = null;
        });
      return renewing;
    },
    install() {
      const url = installUrl.value;
      if (!url) {
        error.value = 'The server did not say where to install Asset Desk. Reload the panel and try again.';
        return;
      }
      state.value = 'installing';
      error.value = openPopup(url)
        ? null
        : `Your browser blocked the install window. Allow pop-ups for this panel and press the button again, or open ${url} in a new tab.`;
    },
    dispose() {
      disposed = true;
      clearTimeout(renewal);
      messages.removeEventListener('message', onMessage);
    },
  };
}
