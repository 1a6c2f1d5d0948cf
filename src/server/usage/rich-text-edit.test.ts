import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { findImages, withImageAlt } from './rich-text.ts';

describe('withImageAlt', () => {
  it('changes only the value of an existing alt, keeping its quotes and place', () => {
    const html = `<p>Intro &amp; more</p><img class=x ALT='Old' src="a.png" /><img src="b.png" alt="B">`;
    expect(withImageAlt(html, 0, 'New')).toBe(`<p>Intro &amp; more</p><img class=x ALT='New' src="a.png" /><img src="b.png" alt="B">`);
    expect(withImageAlt(html, 1, 'Beans')).toBe(`<p>Intro &amp; more</p><img class=x ALT='Old' src="a.png" /><img src="b.png" alt="Beans">`);
  });

  it('adds an alt right after <img> when the image has none', () => {
    expect(withImageAlt('<img src="a.png">', 0, 'A cup')).toBe('<img alt="A cup" src="a.png">');
    expect(withImageAlt('<IMG/>', 0, '')).toBe('<IMG alt=""/>');
  });

  it('quotes an unquoted or bare alt, and removes it for null', () => {
    expect(withImageAlt('<img alt=Old src=a.png>', 0, 'Two words')).toBe('<img alt="Two words" src=a.png>');
    expect(withImageAlt('<img alt src=a.png>', 0, 'x')).toBe('<img alt="x" src=a.png>');
    expect(withImageAlt('<img src=a.png   alt="Old" width=3>', 0, null)).toBe('<img src=a.png   width=3>');
    expect(withImageAlt('<img src=a.png alt="Old">', 0, null)).toBe('<img src=a.png>');
    expect(withImageAlt('<img src=a.png alt="Old"/>', 0, null)).toBe('<img src=a.png />');
    expect(withImageAlt('<img class=a alt="Old"src=b.png>', 0, null)).toBe('<img class=a src=b.png>');
    expect(withImageAlt('<img src=a.png>', 0, null)).toBe('<img src=a.png>');
  });

  it('escapes what would end the value, and decodes back to the text written', () => {
    const text = `Tom & Jerry's "café" &amp; <b>`;
    for (const html of ['<img alt="x">', "<img alt='x'>", '<img alt=x>', '<img>']) {
      const edited = withImageAlt(html, 0, text) as string;
      expect(findImages(edited)[0]?.alt).toBe(text);
    }
  });

  it('edits the first of a repeated alt, the one browsers read', () => {
    expect(withImageAlt('<img alt="first" alt="second">', 0, 'new')).toBe('<img alt="new" alt="second">');
  });

  it('skips comments and answers undefined for a position with no image', () => {
    expect(withImageAlt('<!-- <img alt="c"> --><img alt="real">', 0, 'x')).toBe('<!-- <img alt="c"> --><img alt="x">');
    expect(withImageAlt('<p>none</p>', 0, 'x')).toBeUndefined();
    expect(withImageAlt('<img>', 1, 'x')).toBeUndefined();
  });
});

// ----------------------------------------------------------------------------------- generated HTML

const quoteStyle = fc.constantFrom<'"' | "'" | ''>('"', "'", '');
/** Values with entities, quotes of the other kind, '>' inside quotes, non-ASCII. */
const rawValue = fc.string({ unit: fc.constantFrom('a', 'B', ' ', '&', 'amp;', '#39;', '"', "'", '>', '/', '=', 'é', '\u263A', 'x'), maxLength: 12 });
const attribute = fc
  .record({ name: fc.constantFrom('src', 'alt', 'ALT', 'Alt', 'class', 'data-alt', 'width', 'loading'), quote: quoteStyle, value: rawValue, bare: fc.boolean(), space: fc.constantFrom(' ', '  ', '\n', '\t') })
  .map(({ name, quote, value, bare, space }) => {
    if (bare) return `${space}${name}`;
    const clean = quote === '' ? value.replace(/[\s"'>=/]/g, '') || 'v' : value.replace(new RegExp(quote, 'g'), '');
    return `${space}${name}=${quote}${clean}${quote}`;
  });
const imageTag = fc
  .record({ name: fc.constantFrom('img', 'IMG', 'Img'), attributes: fc.array(attribute, { maxLength: 5 }), close: fc.constantFrom('>', '/>', ' />', ' >') })
  .map(({ name, attributes, close }) => `<${name}${attributes.join('')}${close}`);
const text = fc.string({ unit: fc.constantFrom('Some ', 'text', ' & ', '&amp;', '&lt;', 'é', '\n', '"', "'", '>'), maxLength: 6 });
const otherTag = fc.constantFrom('<p>', '</p>', '<figure class="w-richtext-figure-type-image">', '</figure>', '<br/>', '<!-- <img alt="no"> -->', '<imgx alt="not an image">', '<div><a href="x">', '</a></div>');
const richText = fc.array(fc.oneof(imageTag, text, otherTag), { minLength: 1, maxLength: 12 });
const altText = fc.option(fc.string({ unit: fc.constantFrom('A', ' ', '&', '"', "'", '<', '>', 'é', 'amp;', '\u263A'), maxLength: 10 }), { nil: null });

describe('withImageAlt on generated Rich Text', () => {
  it('sets that image’s alt and leaves every other image and every byte around the tag as it was', () => {
    fc.assert(
      fc.property(richText, fc.nat(), altText, (pieces, pick, alt) => {
        const html = pieces.join('');
        const before = findImages(html);
        if (before.length === 0) {
          expect(withImageAlt(html, 0, alt)).toBeUndefined();
          return;
        }
        const position = pick % before.length;
        const edited = withImageAlt(html, position, alt);
        expect(edited).toBeDefined();
        const after = findImages(edited as string);
        expect(after).toHaveLength(before.length);
        after.forEach((image, i) => {
          if (i === position) expect(image).toEqual({ ...(before[i] as object), alt });
          else expect(image).toEqual(before[i]);
        });
        // Only the edited tag's bytes differ: the same prefix up to it and suffix after it.
        let prefix = 0;
        const out = edited as string;
        while (prefix < html.length && html[prefix] === out[prefix]) prefix += 1;
        let suffix = 0;
        while (suffix < html.length - prefix && html[html.length - 1 - suffix] === out[out.length - 1 - suffix]) suffix += 1;
        const changedBefore = html.slice(prefix, html.length - suffix);
        expect(changedBefore.includes('<img') || changedBefore.includes('<IMG') || changedBefore.includes('<Img')).toBe(false);
        // The edit stays inside one start tag: no '<' enters or leaves the HTML outside an alt value.
        expect(findImages(edited as string).length).toBe(before.length);
      }),
      { numRuns: 500 },
    );
  });

  it('is a no-op when the alt already holds the value (an edit applied twice is one edit)', () => {
    fc.assert(
      fc.property(richText, fc.nat(), altText, (pieces, pick, alt) => {
        const html = pieces.join('');
        const count = findImages(html).length;
        if (count === 0) return;
        const once = withImageAlt(html, pick % count, alt) as string;
        expect(withImageAlt(once, pick % count, alt)).toBe(once);
      }),
      { numRuns: 300 },
    );
  });
});
