import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { backgroundUrls } from './background-urls.ts';

type Quote = '"' | "'" | '';
/** A URL written as the Designer could write it: quoted and escaped as CSS asks. */
function layer(url: string, quote: Quote): string {
  const special = quote === '' ? /[\s"'()\\]/g : quote === '"' ? /["\\]/g : /['\\]/g;
  return `url(${quote}${url.replace(special, (char) => `\\${char}`)}${quote})`;
}
const gradient = fc.constantFrom(
  'linear-gradient(rgba(0, 0, 0, 0.35), rgba(0, 0, 0, 0.35))',
  'radial-gradient(circle at 50% 50%, #fff 0%, #f5ecde 100%)',
  'repeating-linear-gradient(45deg, red 0 10px, blue 10px 20px)',
  'none',
);
const url = fc.oneof(fc.webUrl({ withQueryParameters: true, withFragments: true }), fc.string({ minLength: 1 }).filter((text) => !/\n/.test(text) && text.trim() === text && text !== ''));

describe('backgroundUrls', () => {
  it('finds each url() layer of a value, in order, whatever its quotes, among gradients', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.tuple(url, fc.constantFrom<Quote>('"', "'", '')), gradient), { maxLength: 6 }), fc.constantFrom(', ', ',', ' ,  '), (layers, comma) => {
        const value = layers.map((each) => (typeof each === 'string' ? each : layer(each[0], each[1]))).join(comma);
        const urls = layers.flatMap((each) => (typeof each === 'string' ? [] : [each[0]]));
        expect(backgroundUrls(value)).toEqual(urls);
      }),
    );
  });

  it('reads the forms the Designer writes', () => {
    expect(backgroundUrls('url("https://cdn.example.com/a b.jpg")')).toEqual(['https://cdn.example.com/a b.jpg']);
    expect(backgroundUrls("URL( 'https://x/y.png' ), linear-gradient(red, blue)")).toEqual(['https://x/y.png']);
    expect(backgroundUrls('linear-gradient(red, blue), url(https://x/z.webp)')).toEqual(['https://x/z.webp']);
    expect(backgroundUrls('image-set(url("a.png") 1x, url("b.png") 2x)')).toEqual(['a.png', 'b.png']);
    expect(backgroundUrls('none')).toEqual([]);
    expect(backgroundUrls('url("")')).toEqual([]);
  });

  it('never throws and never finds more URLs than the value has url( in it', () => {
    fc.assert(
      fc.property(fc.string(), (value) => {
        expect(backgroundUrls(value).length).toBeLessThanOrEqual(value.toLowerCase().split('url(').length - 1);
      }),
    );
  });
});
