/**
 * The styles reader over the real styles port and a fake `webflow` styles part: every style state
 * read (a few styles at a time), URLs sent once each with their breakpoint and state, a deleted
 * style skipped, a failed read sends nothing, and no styles API means nothing at all.
 */
import { describe, expect, it } from 'vitest';
import { BackendError } from '../ports/backend.ts';
import { createDesignerPort } from '../ports/designer.ts';
import { createStylesPort, STYLE_STATES, STYLES_AT_ONCE } from '../ports/styles.ts';
import { FakeBackend, makeAsset } from '../testing/fakes.ts';
import { FakeStyles, type FakeStyle } from '../testing/styles-fakes.ts';
import { createStylesReader } from './styles-reader.ts';

const HERO = 'https://cdn.example.com/site1/hero.jpg';
const CARD = 'https://cdn.example.com/site1/card.png';
const ONLY_BG = 'https://cdn.example.com/site1/pattern.svg';
const styles = (): FakeStyle[] => [
  { id: 's1', name: 'hero', properties: { 'main:noPseudo': { 'background-image': `linear-gradient(red, blue), url("${HERO}")` }, 'medium:noPseudo': { 'background-image': `url('${HERO}')` } } },
  { id: 's2', name: 'card', properties: { 'main:hover': { 'background-image': `url(${CARD}), url("${ONLY_BG}")` }, 'main:noPseudo': { color: 'red' } } },
  { id: 's3', name: 'button', properties: { 'main:noPseudo': { 'background-image': 'none' } } },
  ...Array.from({ length: 9 }, (_, i) => ({ id: `p${i}`, name: `plain-${i}`, properties: {} })),
  { id: 'e1', name: '', type: 'element' as const, properties: { 'main:noPseudo': { 'background-image': `url(${HERO})` } } },
];

function setup() {
  const fake = new FakeStyles(styles());
  const backend = new FakeBackend({ assets: [makeAsset(1, { url: HERO }), makeAsset(2, { url: CARD }), makeAsset(3, { url: ONLY_BG })] });
  let reloads = 0;
  const reader = createStylesReader({ styles: fake.port(), backend, siteId: 'site1', reload: async () => void (reloads += 1) });
  return { fake, backend, reader, reloads: () => reloads };
}

describe('reading styles', () => {
  it('reads every state of every style, a few styles at a time, and sends each URL once per style state', async () => {
    const { fake, backend, reader, reloads } = setup();
    await reader.read();
    expect(fake.calls.get('getAllStyles')).toBe(1);
    // Element styles are skipped; the rest at every breakpoint × state.
    expect(fake.calls.get('getProperty')).toBe(12 * STYLE_STATES.length);
    expect(STYLE_STATES).toHaveLength(7 * 15);
    expect(fake.maxStylesAtOnce).toBeLessThanOrEqual(STYLES_AT_ONCE);
    expect(fake.maxStylesAtOnce).toBeGreaterThan(1);
    expect(backend.styleUses).toEqual([
      {
        uses: [
          { url: HERO, styleName: 'hero' },
          { url: HERO, styleName: 'hero', breakpoint: 'medium' },
          { url: CARD, styleName: 'card', pseudo: 'hover' },
          { url: ONLY_BG, styleName: 'card', pseudo: 'hover' },
        ],
      },
    ]);
    expect(reloads()).toBe(1);
    expect(reader.state.value).toBe('done');
    expect(reader.message.value).toBe('Styles read: 12 styles, 4 background images.');
  });

  it('leaves out a style deleted while reading, and joins a read already running', async () => {
    const { fake, backend, reader } = setup();
    fake.failing.set('s1', new Error('The style s1 is gone.', { cause: { tag: 'ResourceMissing' } }));
    await Promise.all([reader.read(), reader.read()]);
    expect(fake.calls.get('getAllStyles')).toBe(1);
    expect(backend.styleUses[0]?.uses.map((use) => use.styleName)).toEqual(['card', 'card']);
  });

  it('sends nothing when a read fails, says why, and the next read sends again', async () => {
    const { fake, backend, reader, reloads } = setup();
    fake.failing.set('s2', new Error('The Designer is busy.', { cause: { tag: 'InternalError' } }));
    await reader.read();
    expect(backend.styleUses).toEqual([]);
    expect(reloads()).toBe(0);
    expect(reader.state.value).toBe('failed');
    expect(reader.message.value).toBe('The styles could not be read: The Designer is busy. What was read before is kept.');
    fake.failing.clear();
    await reader.read();
    expect(backend.styleUses).toHaveLength(1);
    expect(reader.state.value).toBe('done');
  });

  it('says the backend’s refusal and keeps the reader usable', async () => {
    const { backend, reader } = setup();
    backend.failNext.putStyleUses = new BackendError(0, 'network', 'The backend is not reachable.');
    await reader.read();
    expect(reader.state.value).toBe('failed');
    expect(reader.message.value).toMatch(/^The styles could not be read: The backend is not reachable\./);
  });

  it('does nothing in a Designer without styles', async () => {
    const backend = new FakeBackend();
    const reader = createStylesReader({ styles: undefined, backend, siteId: 'site1', reload: () => Promise.reject(new Error('not called')) });
    expect(reader.available).toBe(false);
    await reader.read();
    expect(reader.state.value).toBe('idle');
    expect(backend.styleUses).toEqual([]);
  });

  it('the designer port has styles only where `getAllStyles` exists', async () => {
    const fake = new FakeStyles(styles());
    expect(createDesignerPort({ ...fake.api() } as unknown as WebflowApi).styles).toBeDefined();
    expect(createDesignerPort({} as unknown as WebflowApi).styles).toBeUndefined();
    expect((await createStylesPort(fake.api() as unknown as WebflowApi).backgrounds()).styles).toBe(12);
  });
});
