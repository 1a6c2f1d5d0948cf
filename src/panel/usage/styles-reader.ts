/**
 * Background images in styles (issue 23): reads every style's `background-image` through the
 * designer port, sends the URLs to the usage index (`PUT …/usage/styles`, which replaces the
 * site's style uses) and reads the usage summary again, so "Unused" counts them. Runs when the
 * panel opens and when asked; a Designer without `getAllStyles` gets nothing and says nothing.
 * A failed read sends nothing, so the index keeps what the last whole read found.
 */
import { signal, type ReadonlySignal } from '@preact/signals';
import type { StyleUseInput } from '../../core/usage.ts';
import { describeError } from '../models/announcer.ts';
import type { BackendPort } from '../ports/backend.ts';
import type { StylesPort } from '../ports/styles.ts';
import { backgroundUrls } from './background-urls.ts';

/** src/core/usage.ts's MAX_STYLE_USES and URL limit, spelled here: importing them would bring zod. */
const MAX_USES = 20_000;
const MAX_URL = 4096;

export type StylesReadState = 'idle' | 'reading' | 'done' | 'failed';

export interface StylesReader {
  /** False in a Designer without styles: nothing is shown or done. */
  available: boolean;
  state: ReadonlySignal<StylesReadState>;
  /** What the last read found, or why it failed. */
  message: ReadonlySignal<string | null>;
  /** Reads every style and sends what it found; a read already running is joined. */
  read(): Promise<void>;
}

/** The uses one read found: each URL of each style state, once. */
export function styleUses(backgrounds: ReadonlyArray<{ styleName: string; breakpoint: BreakpointId; pseudo: PseudoStateKey; value: string }>): StyleUseInput[] {
  const seen = new Set<string>();
  const uses: StyleUseInput[] = [];
  for (const { styleName, breakpoint, pseudo, value } of backgrounds) {
    for (const url of backgroundUrls(value)) {
      // Longer than any hosted URL: not an asset of the site.
      if (url.length > MAX_URL) continue;
      const use: StyleUseInput = { url, styleName, ...(breakpoint === 'main' ? {} : { breakpoint }), ...(pseudo === 'noPseudo' ? {} : { pseudo }) };
      const key = JSON.stringify(use);
      if (seen.has(key)) continue;
      seen.add(key);
      uses.push(use);
    }
  }
  return uses;
}

export function createStylesReader(deps: { styles: StylesPort | undefined; backend: Pick<BackendPort, 'putStyleUses'>; siteId: string; reload: () => Promise<void> }): StylesReader {
  const state = signal<StylesReadState>('idle');
  const message = signal<string | null>(null);
  let running: Promise<void> | null = null;

  async function readOnce(styles: StylesPort): Promise<void> {
    state.value = 'reading';
    try {
      const found = await styles.backgrounds();
      const uses = styleUses(found.backgrounds);
      if (uses.length > MAX_USES) throw new Error(`The styles hold ${uses.length} background images, more than the ${MAX_USES} Asset Desk can store; nothing was sent.`);
      await deps.backend.putStyleUses(deps.siteId, { uses });
      await deps.reload();
      message.value = `Styles read: ${found.styles} ${found.styles === 1 ? 'style' : 'styles'}, ${uses.length} ${uses.length === 1 ? 'background image' : 'background images'}.`;
      state.value = 'done';
    } catch (error) {
      message.value = `The styles could not be read: ${describeError(error)} What was read before is kept.`;
      state.value = 'failed';
    }
  }

  return {
    available: deps.styles !== undefined,
    state,
    message,
    read() {
      const styles = deps.styles;
      if (!styles) return Promise.resolve();
      running ??= readOnce(styles).finally(() => (running = null));
      return running;
    },
  };
}
