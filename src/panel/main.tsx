/**
 * The panel's entry: builds the two ports and mounts the panel. Inside Webflow the Designer
 * provides `webflow`; outside (sandbox, dev) the host page loads the sandbox's Designer API first
 * and says where the backend is in `window.assetDeskConfig`.
 */
import { render } from 'preact';
import { Panel } from './components/Panel.tsx';
import { createDesignerPort } from './ports/designer.ts';
import { createHttpBackend } from './ports/http-backend.ts';
import { createIndexCache, createKeptIndex } from './index-cache/index-cache.ts';
import { safeLocalStorage } from './ports/local-storage.ts';
import './styles.css';

declare global {
  interface Window {
    assetDeskConfig?: { backendUrl?: string };
  }
}

function backendUrl(): string {
  const configured = window.assetDeskConfig?.backendUrl ?? (import.meta.env.VITE_BACKEND_URL as string | undefined);
  return configured || window.location.origin;
}

const root = document.getElementById('app');
if (root && typeof webflow === 'undefined') {
  render(
    <main class="gate">
      <h1>Open Asset Desk from the Webflow Designer</h1>
      <p>This panel runs inside the Designer (Apps panel), or against the local sandbox with `npm start`.</p>
    </main>,
    root,
  );
} else if (root) {
  const url = backendUrl();
  const backendOrigin = new URL(url, window.location.href).origin;
  // The last index read, kept between opens (src/panel/index-cache/); a browser without IndexedDB reads it whole each time.
  const keptIndex =
    typeof indexedDB === 'undefined'
      ? undefined
      : createKeptIndex(
          createIndexCache({ backend: new URL(url, window.location.href).href, indexedDB, onError: (error) => console.warn('Asset Desk could not use its kept index:', error) }),
          { storage: safeLocalStorage() },
        );
  // Read while the Designer is asked which site this is: most opens are of the site opened last.
  keptIndex?.warmLast();
  render(<Panel backend={createHttpBackend(url)} designer={createDesignerPort()} backendOrigin={backendOrigin} keptIndex={keptIndex} />, root);
}
