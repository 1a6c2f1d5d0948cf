/**
 * A fake of the `webflow` global's styles part (`getAllStyles`, Style handles' `getName` and
 * `getProperty`), for the styles port and reader tests: the real port runs over it, so the tests
 * follow each Designer round trip and how many styles are read at once.
 */
import { createStylesPort, type StylesPort } from '../ports/styles.ts';
import type { FakeDesigner } from './fakes.ts';

export interface FakeStyle {
  id: string;
  name: string;
  type?: StyleType;
  /** `background-image` (or any property) by `"<breakpoint>:<pseudo>"`, e.g. `main:noPseudo`, `medium:hover`. */
  properties: Record<string, Record<string, string>>;
}

const missing = (what: string) => new Error(what, { cause: { tag: 'ResourceMissing' } });

export class FakeStyles {
  /** Round trips by method name. */
  calls = new Map<string, number>();
  /** Style ids whose reads fail, with the error. */
  failing = new Map<string, Error>();
  /** Styles being read right now (a property call in flight), and the most seen at once. */
  private reading = new Map<string, number>();
  maxStylesAtOnce = 0;

  constructor(public styles: FakeStyle[]) {}

  private count(name: string): void {
    this.calls.set(name, (this.calls.get(name) ?? 0) + 1);
  }

  /** Deletes a style, as another designer might while the panel reads. */
  remove(id: string): void {
    this.styles = this.styles.filter((style) => style.id !== id);
  }

  private handle(style: FakeStyle) {
    const live = () => {
      const found = this.styles.find((each) => each.id === style.id);
      if (!found) throw missing(`The style ${style.id} is gone.`);
      const failure = this.failing.get(style.id);
      if (failure) throw failure;
      return found;
    };
    return {
      id: style.id,
      name: style.name,
      type: style.type ?? 'global',
      getName: async () => (this.count('getName'), live().name),
      getProperty: async (prop: string, options: { breakpoint?: BreakpointId; pseudo?: PseudoStateKey } = {}) => {
        this.count('getProperty');
        this.reading.set(style.id, (this.reading.get(style.id) ?? 0) + 1);
        this.maxStylesAtOnce = Math.max(this.maxStylesAtOnce, this.reading.size);
        try {
          await Promise.resolve();
          return live().properties[`${options.breakpoint ?? 'main'}:${options.pseudo ?? 'noPseudo'}`]?.[prop] ?? null;
        } finally {
          const left = (this.reading.get(style.id) ?? 1) - 1;
          if (left === 0) this.reading.delete(style.id);
          else this.reading.set(style.id, left);
        }
      },
    };
  }

  api() {
    return { getAllStyles: async () => (this.count('getAllStyles'), this.styles.map((style) => this.handle(style))) };
  }

  port(): StylesPort {
    return createStylesPort(this.api() as unknown as Parameters<typeof createStylesPort>[0]);
  }
}

/** A fake designer with styles. */
export function designerWithStyles(designer: FakeDesigner, styles: FakeStyle[]): { designer: FakeDesigner & { styles: StylesPort }; fake: FakeStyles } {
  const fake = new FakeStyles(styles);
  return { designer: Object.assign(designer, { styles: fake.port() }), fake };
}
