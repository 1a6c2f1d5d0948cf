import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { assetIdOfUrl, decodeEntities, findImages } from './rich-text.ts';

const ASSET = '65a1b2c3d4e5f60718293a4b';

describe('findImages', () => {
  it('finds images whatever the attribute order and quotes', () => {
    const html = `<p>Intro</p><img alt="A cup" src="https://cdn/x/${ASSET}_cup.jpg"><figure><img src='b.png' alt='Beans'/></figure><IMG SRC=c.png ALT=Roaster>`;
    expect(findImages(html)).toEqual([
      { position: 0, src: `https://cdn/x/${ASSET}_cup.jpg`, alt: 'A cup' },
      { position: 1, src: 'b.png', alt: 'Beans' },
      { position: 2, src: 'c.png', alt: 'Roaster' },
    ]);
  });

  it('tells an img without alt (null) from alt="" and a bare alt attribute', () => {
    expect(findImages('<img src="a.png"><img src="b.png" alt=""><img alt src="c.png">').map((i) => i.alt)).toEqual([null, '', '']);
  });

  it('decodes character references in alt and src', () => {
    const [image] = findImages('<img alt="Tom &amp; Jerry&#39;s &quot;caf&eacute;&quot; &#x263A;" src="a.png?x=1&amp;y=2">');
    expect(image?.alt).toBe('Tom & Jerry\'s "caf&eacute;" \u263A');
    expect(image?.src).toBe('a.png?x=1&y=2');
  });

  it('keeps the first of a repeated attribute, as browsers do', () => {
    expect(findImages('<img alt="first" alt="second" src="a">')[0]?.alt).toBe('first');
  });

  it('skips images inside comments and tags that only start like img', () => {
    expect(findImages('<!-- <img src="x.png"> --><imgage src="y"><image src="z"><img\nsrc="w.png"\nalt="ok">')).toEqual([{ position: 0, src: 'w.png', alt: 'ok' }]);
  });

  it('keeps a > inside a quoted value within the tag', () => {
    expect(findImages('<img alt="a > b" src="x.png"><p>after</p>')).toEqual([{ position: 0, src: 'x.png', alt: 'a > b' }]);
  });

  it('reads an unterminated tag at the end of the HTML', () => {
    expect(findImages('<p>x</p><img src="a.png" alt="cut')).toEqual([{ position: 0, src: 'a.png', alt: 'cut' }]);
  });
});

describe('decodeEntities', () => {
  it('leaves unknown names and refuses code points that are not characters', () => {
    expect(decodeEntities('&bogus; &#0; &#xD800; &#65;')).toBe('&bogus; \uFFFD \uFFFD A');
  });
});

describe('assetIdOfUrl', () => {
  it('finds the asset id in the last path segment of a hosted URL or its variant', () => {
    expect(assetIdOfUrl(`https://cdn.prod.website-files.com/site/${ASSET}_Cup%20of%20coffee.jpg`)).toBe(ASSET);
    expect(assetIdOfUrl(`https://cdn.prod.website-files.com/site/${ASSET}_cup-p-500.jpg?w=2#x`)).toBe(ASSET);
  });

  it('answers undefined for URLs that do not name an asset', () => {
    for (const url of [null, '', 'https://example.com/photo.jpg', `https://cdn/${ASSET}_x/inner.jpg`, `https://cdn/${ASSET}.jpg`, 'https://cdn/65a1b2c3_short.jpg']) {
      expect(assetIdOfUrl(url)).toBeUndefined();
    }
  });
});

// ------------------------------------------------------------------------------ generated HTML

type Quote = '"' | "'" | '';

/** An attribute value written as an editor might: escaped for its quotes, or unquoted when it can be. */
function written(value: string, quote: Quote, entities: boolean): string {
  let out = value.replace(/&/g, '&amp;');
  if (entities) out = out.replace(/</g, '&lt;').replace(/>/g, '&gt;');
  if (quote === '"') return `"${out.replace(/"/g, '&quot;')}"`;
  if (quote === "'") return `'${out.replace(/'/g, '&#39;')}'`;
  return out;
}

const textArb = fc.string({ unit: fc.constantFrom('a', 'B', ' ', '"', "'", '<', '>', '&', '=', '/', 'é', '☕', '\n'), maxLength: 20 });
const unquotable = fc.string({ unit: fc.constantFrom('a', 'Z', '0', '-', '_', '.', 'é'), minLength: 1, maxLength: 12 });
const quoteArb = fc.constantFrom<Quote>('"', "'");
const caseArb = fc.constantFrom((s: string) => s, (s: string) => s.toUpperCase());

const attributeArb = fc.oneof(
  fc.record({ quote: quoteArb, value: textArb, entities: fc.boolean() }),
  fc.record({ quote: fc.constant<Quote>(''), value: unquotable, entities: fc.constant(false) }),
);

const imageArb = fc.record({
  src: attributeArb,
  alt: fc.option(attributeArb, { nil: undefined }),
  extra: fc.array(fc.record({ name: fc.constantFrom('class', 'width', 'data-x', 'loading', 'title'), value: attributeArb }), { maxLength: 3 }),
  order: fc.integer({ min: 0, max: 1000 }),
  nameCase: caseArb,
  spaces: fc.constantFrom(' ', '  ', '\n', '\t '),
  close: fc.constantFrom('>', '/>', ' />'),
});

const fillerArb = fc.constantFrom('', '<p>Text</p>', '<h2>Title &amp; more</h2>', '<figure>', '</figure>', 'plain text ', '<a href="x">link</a>', '<!-- note -->', '<br>');

describe('findImages on generated Rich Text', () => {
  it('finds exactly the images generated, in order, with their src and alt', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fillerArb, imageArb), { maxLength: 6 }), fillerArb, (parts, tail) => {
        let html = '';
        const expected: Array<{ position: number; src: string; alt: string | null }> = [];
        parts.forEach(([filler, image], position) => {
          const attributes = [
            ['src', image.src] as const,
            ...(image.alt ? [['alt', image.alt] as const] : []),
            ...image.extra.map((e) => [e.name, e.value] as const),
          ];
          // A stable shuffle by `order`: any attribute order. (`<img src=a/>` is src "a/" in browsers too, hence the space.)
          const rotated = attributes.map((_, i) => attributes[(i + image.order) % attributes.length]!);
          const tag = `<${image.nameCase('img')}${rotated.map(([name, v]) => `${image.spaces}${image.nameCase(name)}=${written(v.value, v.quote, v.entities)}`).join('')}${rotated.at(-1)?.[1].quote === '' && image.close === '/>' ? ' ' : ''}${image.close}`;
          html += filler + tag;
          expected.push({ position, src: image.src.value, alt: image.alt ? image.alt.value : null });
        });
        html += tail;
        expect(findImages(html)).toEqual(expected);
      }),
      { numRuns: 500 },
    );
  });
});
