import { describe, expect, it } from 'vitest';
import { useIn, withUseAlt } from './field-values.ts';

const A = '65a1b2c3d4e5f60718293a4b';
const B = '65a1b2c3d4e5f60718293a4c';
const image = (fileId: string, alt: string | null) => ({ fileId, url: `https://cdn.example/site/${fileId}_photo.jpg`, alt });

describe('useIn', () => {
  it('reads an Image field, one gallery image, and one inline image', () => {
    expect(useIn({ fieldType: 'Image', position: null }, image(A, 'Cup'))).toEqual({ assetId: A, alt: 'Cup' });
    expect(useIn({ fieldType: 'MultiImage', position: 1 }, [image(A, 'a'), image(B, null)])).toEqual({ assetId: B, alt: null });
    expect(useIn({ fieldType: 'RichText', position: 1 }, `<p>x</p><img src="a.png"><img alt='Beans' src="https://cdn/s/${B}_b.png">`)).toEqual({ assetId: B, alt: 'Beans' });
  });

  it('finds no use where the value holds none (cleared field, shorter gallery, fewer images)', () => {
    expect(useIn({ fieldType: 'Image', position: null }, undefined)).toBeUndefined();
    expect(useIn({ fieldType: 'MultiImage', position: 2 }, [image(A, 'a')])).toBeUndefined();
    expect(useIn({ fieldType: 'RichText', position: 0 }, '<p>No image</p>')).toBeUndefined();
  });
});

describe('withUseAlt', () => {
  it('rewrites a gallery with every other image object exactly as read', () => {
    const gallery = [image(A, 'first'), { ...image(B, null), extra: 'kept' }, image(A, 'third')];
    const rewritten = withUseAlt({ fieldType: 'MultiImage', position: 1 }, gallery, 'Second');
    expect(rewritten).toEqual([gallery[0], { ...gallery[1], alt: 'Second' }, gallery[2]]);
    expect((rewritten as unknown[])[0]).toBe(gallery[0]);
    expect(gallery[1]?.alt).toBeNull();
  });

  it('keeps an Image field’s fileId and url and sets alt (null clears it)', () => {
    expect(withUseAlt({ fieldType: 'Image', position: null }, image(A, 'Old'), null)).toEqual(image(A, null));
  });

  it('changes one inline image’s alt and no other byte of the HTML', () => {
    const html = `<h2>T&eacute;</h2><img src="a.png" alt="x"><p>Text</p><img src='b.png'>`;
    expect(withUseAlt({ fieldType: 'RichText', position: 1 }, html, 'Beans')).toBe(`<h2>T&eacute;</h2><img src="a.png" alt="x"><p>Text</p><img alt="Beans" src='b.png'>`);
  });

  it('answers undefined when the use is gone', () => {
    expect(withUseAlt({ fieldType: 'MultiImage', position: 3 }, [image(A, 'a')], 'x')).toBeUndefined();
    expect(withUseAlt({ fieldType: 'Image', position: null }, null, 'x')).toBeUndefined();
  });
});
