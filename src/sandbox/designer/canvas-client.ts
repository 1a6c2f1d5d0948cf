/**
 * The canvas part of the browser's `webflow` global (client.ts): pages, the current page's
 * elements, Image elements and the selection, one HTTP request per call like the rest, and
 * `subscribe('selectedelement' | 'currentpage')` over the sandbox's event stream (a GET read
 * as server-sent events with fetch, so it is a CORS simple request and runs in Node too).
 * Handles carry the typings' names and shapes for the methods the sandbox answers.
 */
import type { CanvasEvent, WireElement, WirePage } from './canvas-wire.ts';
import type { IdsBody } from './wire.ts';

export type SandboxPage = Pick<
  Page,
  'id' | 'type' | 'getName' | 'getSlug' | 'getTitle' | 'getDescription' | 'getCollectionId' | 'isHomepage' | 'getPublishPath' | 'getParent' | 'isDraft'
>;
export type SandboxImageElement = Pick<ImageElement, 'id' | 'type' | 'plugin' | 'getAltText' | 'setAltText' | 'getAsset' | 'setAsset'>;
/** Any other element of the sandbox's pages: its id and type only. */
export interface SandboxPlainElement {
  readonly id: FullElementId;
  readonly type: 'Heading' | 'Paragraph' | 'Block' | 'ComponentInstance';
  readonly plugin: 'Basic' | '';
}
export type SandboxElement = SandboxImageElement | SandboxPlainElement;

export interface SandboxCanvasApi {
  getCurrentPage(): Promise<SandboxPage>;
  /** The sandbox's pages have no folders, so this lists pages only. */
  getAllPagesAndFolders(): Promise<SandboxPage[]>;
  switchPage(page: Pick<Page, 'id'>): Promise<null>;
  getAllElements(): Promise<SandboxElement[]>;
  getSelectedElement(): Promise<SandboxElement | null>;
  setSelectedElement(element: { id: FullElementId }): Promise<SandboxElement | null>;
  subscribe(event: 'selectedelement', callback: (element: SandboxElement | null) => void): Unsubscribe;
  subscribe(event: 'currentpage', callback: (page: SandboxPage) => void): Unsubscribe;
}

export interface CanvasTransport {
  call<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T>;
  assetHandle(id: string): Asset;
  /** Opens the event stream (`GET …/events`). */
  openEvents(signal: AbortSignal): Promise<Response>;
}

/** After a dropped event stream, the next try waits this long. */
const RECONNECT_MS = 1_000;

export function canvasMethods({ call, assetHandle, openEvents }: CanvasTransport): SandboxCanvasApi {
  const pageHandle = (id: string): SandboxPage => {
    const read = () => call<WirePage>('GET', `/pages/${encodeURIComponent(id)}`);
    return {
      id,
      type: 'Page',
      getName: async () => (await read()).name,
      getSlug: async () => (await read()).slug,
      getTitle: async () => (await read()).title,
      getDescription: async () => (await read()).description,
      getCollectionId: async () => (await read()).collectionId,
      isHomepage: async () => (await read()).isHomepage,
      getPublishPath: async () => (await read()).publishPath,
      getParent: async () => {
        await read();
        return null;
      },
      isDraft: async () => {
        await read();
        return false;
      },
    };
  };

  const elementHandle = ({ id, type }: WireElement): SandboxElement => {
    const fullId = { component: id.component, element: id.element };
    if (type !== 'Image') return { id: fullId, type, plugin: type === 'ComponentInstance' ? '' : 'Basic' };
    const path = `/elements/${encodeURIComponent(id.component)}/${encodeURIComponent(id.element)}`;
    return {
      id: fullId,
      type,
      plugin: 'Basic',
      getAltText: async () => (await call<{ altText: string }>('GET', `${path}/alt-text`)).altText,
      setAltText: (altText) => call<null>('POST', `${path}/alt-text`, { altText }),
      getAsset: async () => {
        const { assetId } = await call<{ assetId: string | null }>('GET', `${path}/asset`);
        return assetId === null ? null : assetHandle(assetId);
      },
      setAsset: (asset) => call<null>('POST', `${path}/asset`, { assetId: asset === null ? null : asset.id }),
    };
  };
  const orNull = (element: WireElement | null): SandboxElement | null => (element === null ? null : elementHandle(element));

  // Subscriptions share one event stream, open while anyone listens.
  const listeners = { selectedelement: new Set<(element: SandboxElement | null) => void>(), currentpage: new Set<(page: SandboxPage) => void>() };
  let stream: AbortController | undefined;
  // A callback that throws is the page's bug: it surfaces as an uncaught error, and the others still run.
  const safely = (run: () => void): void => {
    try {
      run();
    } catch (error) {
      queueMicrotask(() => {
        throw error;
      });
    }
  };
  const dispatch = (event: CanvasEvent): void => {
    if (event.event === 'selectedelement') for (const listener of [...listeners.selectedelement]) safely(() => listener(orNull(event.element)));
    if (event.event === 'currentpage') for (const listener of [...listeners.currentpage]) safely(() => listener(pageHandle(event.pageId)));
  };
  const listen = (): void => {
    if (stream) return;
    const controller = new AbortController();
    stream = controller;
    void readEvents(openEvents, controller.signal, dispatch).finally(() => {
      if (stream !== controller) return;
      stream = undefined;
      // Dropped (the sandbox restarted, a network blip): listen again while anyone listens.
      setTimeout(() => {
        if (listeners.selectedelement.size + listeners.currentpage.size > 0) listen();
      }, RECONNECT_MS);
    });
  };
  const unlisten = (): void => {
    if (listeners.selectedelement.size + listeners.currentpage.size > 0 || !stream) return;
    const controller = stream;
    stream = undefined;
    controller.abort();
  };

  function subscribe(event: 'selectedelement', callback: (element: SandboxElement | null) => void): Unsubscribe;
  function subscribe(event: 'currentpage', callback: (page: SandboxPage) => void): Unsubscribe;
  function subscribe(event: 'selectedelement' | 'currentpage', callback: ((element: SandboxElement | null) => void) | ((page: SandboxPage) => void)): Unsubscribe {
    if (!Object.hasOwn(listeners, event)) throw new TypeError(`The sandbox Designer has no '${String(event)}' event; use 'selectedelement' or 'currentpage'.`);
    const set = listeners[event] as Set<(value: unknown) => void>;
    // The same function twice is two subscriptions, each with its own unsubscribe.
    const entry = (value: unknown): void => (callback as (value: unknown) => void)(value);
    set.add(entry);
    listen();
    return () => {
      set.delete(entry);
      unlisten();
    };
  }

  return {
    getCurrentPage: async () => pageHandle((await call<{ id: string }>('GET', '/current-page')).id),
    getAllPagesAndFolders: async () => (await call<IdsBody>('GET', '/pages')).ids.map(pageHandle),
    switchPage: (page) => call<null>('POST', '/current-page', { pageId: page.id }),
    getAllElements: async () => (await call<{ elements: WireElement[] }>('GET', '/elements')).elements.map(elementHandle),
    getSelectedElement: async () => orNull((await call<{ element: WireElement | null }>('GET', '/selected-element')).element),
    setSelectedElement: async (element) => orNull((await call<{ element: WireElement | null }>('POST', '/selected-element', { element: element.id })).element),
    subscribe,
  };
}

/** Reads server-sent events until the stream ends or is aborted. */
async function readEvents(open: (signal: AbortSignal) => Promise<Response>, signal: AbortSignal, dispatch: (event: CanvasEvent) => void): Promise<void> {
  try {
    const response = await open(signal);
    if (!response.ok || !response.body) return;
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    signal.addEventListener('abort', () => void reader.cancel().catch(() => undefined), { once: true });
    let buffer = '';
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      buffer += value;
      let end: number;
      while ((end = buffer.search(/\r?\n\r?\n/)) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end).replace(/^\r?\n\r?\n/, '');
        let name = '';
        const data: string[] = [];
        for (const line of block.split(/\r?\n/)) {
          if (line.startsWith('event:')) name = line.slice(6).trim();
          else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
        }
        if (!name || data.length === 0) continue;
        let event: CanvasEvent;
        try {
          event = { event: name, ...(JSON.parse(data.join('\n')) as object) } as CanvasEvent;
        } catch {
          continue; // a malformed event is skipped; the next one still arrives
        }
        dispatch(event);
      }
    }
  } catch {
    // Aborted or dropped; the caller decides whether to listen again.
  }
}
