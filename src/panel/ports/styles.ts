/**
 * The styles part of the designer port: every style's `background-image` at every breakpoint
 * and pseudo state the typings list, over the `webflow` global. Every Designer call is a round
 * trip, so a style's states are asked for all at once and a few styles at a time.
 */

/** One style state's `background-image`, as the Designer answers it (a CSS value). */
export interface StyleBackground {
  styleName: string;
  breakpoint: BreakpointId;
  pseudo: PseudoStateKey;
  value: string;
}

export interface StylesPort {
  /** Every background image value of every style; a style deleted while reading is left out. */
  backgrounds(): Promise<{ styles: number; backgrounds: StyleBackground[] }>;
}

type StylesApi = Pick<WebflowApi, 'getAllStyles'>;
type StyleHandle = Pick<Style, 'id' | 'name' | 'type' | 'getName' | 'getProperty'>;

// Records, so the compiler says when the typings gain a breakpoint or a state.
const BREAKPOINTS: Record<BreakpointId, true> = { xxl: true, xl: true, large: true, main: true, medium: true, small: true, tiny: true };
const PSEUDOS: Record<PseudoStateKey, true> = {
  noPseudo: true, 'nth-child(odd)': true, 'nth-child(even)': true, 'first-child': true, 'last-child': true, hover: true, active: true,
  visited: true, focus: true, 'focus-visible': true, 'focus-within': true, placeholder: true, empty: true, before: true, after: true,
};
export const STYLE_STATES: ReadonlyArray<{ breakpoint: BreakpointId; pseudo: PseudoStateKey }> = (Object.keys(BREAKPOINTS) as BreakpointId[]).flatMap((breakpoint) =>
  (Object.keys(PSEUDOS) as PseudoStateKey[]).map((pseudo) => ({ breakpoint, pseudo })),
);

/** Styles read at once: each sends a call per state (105), so a few keep the calls in flight in the hundreds. */
export const STYLES_AT_ONCE = 4;

const tagOf = (error: unknown): unknown => (error instanceof Error ? (error.cause as { tag?: unknown } | undefined)?.tag : undefined);

export function createStylesPort(api: StylesApi): StylesPort {
  async function read(style: StyleHandle): Promise<StyleBackground[]> {
    const styleName = typeof style.name === 'string' ? style.name : await style.getName();
    const values = await Promise.all(STYLE_STATES.map((state) => style.getProperty('background-image', state)));
    return values.flatMap((value, i) => (typeof value === 'string' && value.trim() !== '' && value !== 'none' ? [{ styleName, ...(STYLE_STATES[i] as (typeof STYLE_STATES)[number]), value }] : []));
  }
  return {
    async backgrounds() {
      // Element-scoped styles refuse most operations (the typings say so) and have no name to show.
      const styles = (await api.getAllStyles()).filter((style) => style.type !== 'element');
      const found: StyleBackground[][] = new Array<StyleBackground[]>(styles.length);
      let next = 0;
      const worker = async (): Promise<void> => {
        while (next < styles.length) {
          const at = next++;
          try {
            found[at] = await read(styles[at] as StyleHandle);
          } catch (error) {
            // Deleted since the listing: it holds no background now. Anything else stops the read.
            if (tagOf(error) !== 'ResourceMissing') throw error;
            found[at] = [];
          }
        }
      };
      await Promise.all(Array.from({ length: Math.min(STYLES_AT_ONCE, styles.length) }, worker));
      return { styles: styles.length, backgrounds: found.flat() };
    },
  };
}
