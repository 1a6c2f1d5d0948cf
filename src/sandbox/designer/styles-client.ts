/**
 * The styles part of the browser's `webflow` global (client.ts): `getAllStyles`,
 * `getStyleByName` and Style handles that read their name and properties, one HTTP request per
 * call like the rest. Handles carry the typings' names and shapes for what the sandbox answers;
 * the sandbox's styles are read-only (docs/decisions/sandbox-styles.md).
 */
import type { WireStyle } from './styles-wire.ts';

export type SandboxStyle = Pick<Style, 'id' | 'name' | 'type' | 'source' | 'getName' | 'getProperties' | 'getProperty' | 'getType' | 'isComboClass' | 'isFromLibrary'>;

export interface SandboxStylesApi {
  getAllStyles(): Promise<SandboxStyle[]>;
  /** By name only; a path (combo classes) is not answered. */
  getStyleByName(name: string): Promise<SandboxStyle | null>;
}

export interface StylesTransport {
  call<T>(method: 'GET', path: string, body: undefined, query: Record<string, string>): Promise<T>;
}

/** A `StyleOptions` as the routes' query: its own keys only, strings as given (the routes check them). */
function queryOf(options: unknown): Record<string, string> {
  if (options === undefined) return {};
  if (typeof options !== 'object' || options === null) return { options: String(options) };
  return Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined).map(([key, value]) => [key, String(value)]));
}

export function stylesMethods({ call }: StylesTransport): SandboxStylesApi {
  const styleHandle = ({ id, name, type, source }: WireStyle): SandboxStyle => {
    const path = `/styles/${encodeURIComponent(id)}`;
    return {
      id,
      name,
      type,
      source,
      getName: async () => (await call<WireStyle>('GET', path, undefined, {})).name,
      getProperties: async (options) => (await call<{ properties: PropertyMap }>('GET', `${path}/properties`, undefined, queryOf(options))).properties,
      getProperty: async (prop, options) =>
        (await call<{ value: PropertyMap[typeof prop] | null }>('GET', `${path}/property`, undefined, { ...queryOf(options), property: String(prop) })).value ?? null,
      getType: () => type,
      isComboClass: () => type === 'combo',
      isFromLibrary: () => source === 'library',
    };
  };
  return {
    getAllStyles: async () => (await call<{ styles: WireStyle[] }>('GET', '/styles', undefined, {})).styles.map(styleHandle),
    getStyleByName: async (name) => {
      if (typeof name !== 'string') throw new TypeError('The sandbox finds a style by its name (a string); paths are not answered.');
      const { style } = await call<{ style: WireStyle | null }>('GET', '/styles/by-name', undefined, { name });
      return style === null ? null : styleHandle(style);
    },
  };
}
