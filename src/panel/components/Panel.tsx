/**
 * The panel's root: opens the session (installing the app first when needed), then the desk
 * of the site. Holds the models for its lifetime and disposes them when it goes away.
 */
import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { BackendPort } from '../ports/backend.ts';
import type { DesignerPort } from '../ports/designer.ts';
import { createSessionModel, type SessionModel } from '../models/session.ts';
import { withSessionGate } from '../ports/session-gate.ts';
import { withSessionRenewal } from '../ports/session-renewal.ts';
import { createWorkspace } from '../workspace.ts';
import type { HashFunction } from '../models/uploads.ts';
import type { KeptIndex } from '../index-cache/index-cache.ts';
import { Desk } from './Desk.tsx';

export interface PanelProps {
  backend: BackendPort;
  designer: DesignerPort;
  backendOrigin: string;
  openPopup?: (url: string) => boolean;
  storage?: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'> | null;
  /** Where the last index read is kept between opens; none: each open reads the whole index. */
  keptIndex?: KeptIndex;
  pollMs?: number;
  applierIdleMs?: number;
  /** How often "CMS images" looks up its open changes in the journal. */
  cmsWatchMs?: number;
  /** MD5 of a file (uploads, replacements); the worker pool by default. */
  hash?: HashFunction;
}

export function Panel(props: PanelProps) {
  const session = useMemo(
    () => createSessionModel({ backend: props.backend, designer: props.designer, backendOrigin: props.backendOrigin, openPopup: props.openPopup }),
    [],
  );
  // A layout effect: the Designer is asked for the site before the first paint, not a frame after it.
  useLayoutEffect(() => {
    void session.start();
    void props.designer.setExtensionSize('large').catch(() => undefined);
    return () => session.dispose();
  }, []);

  const state = session.state.value;
  const siteId = session.siteId.value;
  // The kept index is read and decoded while the session opens; when there is one, the desk shows
  // it before the session is open (its calls wait for the session: src/panel/ports/session-gate.ts).
  const [keptFor, setKeptFor] = useState<string | null>(null);
  useLayoutEffect(() => {
    if (!siteId || !props.keptIndex) return;
    let current = true;
    void props.keptIndex.has(siteId).then((has) => {
      if (current && has) setKeptFor(siteId);
    });
    return () => {
      current = false;
    };
  }, [siteId]);

  const early = state === 'starting' && keptFor !== null && keptFor === siteId && session.abilitiesKnown.value;
  if ((state === 'ready' || early) && siteId) return <SiteDesk {...props} session={session} siteId={siteId} />;
  return <SessionGate session={session} />;
}

function SiteDesk(props: PanelProps & { session: SessionModel; siteId: string }) {
  const workspace = useMemo(
    () =>
      createWorkspace({
        backend: withSessionGate(withSessionRenewal(props.backend, props.session.renew), { isReady: () => props.session.state.peek() === 'ready', whenReady: props.session.whenReady }),
        designer: props.designer,
        siteId: props.siteId,
        siteName: props.session.siteName.value,
        readOnlyReason: props.session.readOnlyReason.value,
        storage: props.storage,
        keptIndex: props.keptIndex,
        pollMs: props.pollMs,
        applierIdleMs: props.applierIdleMs,
        cmsWatchMs: props.cmsWatchMs,
        hash: props.hash,
      }),
    [props.siteId],
  );
  // Started as soon as the desk is rendered, not after its first paint: the index's request
  // (the longest wait of an opening) goes out a frame sooner.
  useLayoutEffect(() => {
    void workspace.start();
    return () => workspace.dispose();
  }, [workspace]);

  useEffect(() => {
    // Ctrl/Cmd+Z outside a text field undoes the last batch, wherever focus is (even nowhere);
    // the rows handle their own fields.
    function onKeyDown(event: KeyboardEvent) {
      if (event.defaultPrevented || !(event.ctrlKey || event.metaKey) || event.shiftKey || event.key.toLowerCase() !== 'z') return;
      const target = event.target as HTMLElement;
      if (target.matches('input[type="text"], input[type="search"], textarea, [role="dialog"] *')) return;
      event.preventDefault();
      void workspace.edits.undoLast();
    }
    document.addEventListener('keydown', onKeyDown);
    return () => document.removeEventListener('keydown', onKeyDown);
  }, [workspace]);

  return (
    <div class="root" style={{ height: '100%' }}>
      <Desk workspace={workspace} />
    </div>
  );
}

function SessionGate({ session }: { session: SessionModel }) {
  const state = session.state.value;
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), [state]);

  return (
    <main class="gate" aria-busy={state === 'starting'}>
      {state === 'starting' && (
        <h1 tabIndex={-1} ref={heading}>
          Opening Asset Desk…
        </h1>
      )}
      {(state === 'not_installed' || state === 'installing') && (
        <>
          <h1 tabIndex={-1} ref={heading}>
            Install Asset Desk on {session.siteName.value || 'this site'}
          </h1>
          <p>Asset Desk needs your permission to read and update this site’s assets. Installing opens Webflow in a small window.</p>
          {state === 'installing' && <p role="status">Waiting for the install to finish in the other window…</p>}
          <button type="button" class="primary" onClick={() => session.install()}>
            {state === 'installing' ? 'Open the install window again' : 'Install Asset Desk'}
          </button>
          {state === 'installing' && (
            <button type="button" onClick={() => void session.start()}>
              I have installed it: continue
            </button>
          )}
          {session.error.value && <p role="alert">{session.error.value}</p>}
        </>
      )}
      {state === 'failed' && (
        <>
          <h1 tabIndex={-1} ref={heading}>
            Asset Desk could not open
          </h1>
          <p role="alert">{session.error.value}</p>
          <button type="button" class="primary" onClick={() => void session.start()}>
            Try again
          </button>
        </>
      )}
    </main>
  );
}
