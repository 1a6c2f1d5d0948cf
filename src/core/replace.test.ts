import { describe, expect, it } from 'vitest';
import { replacementProblem } from './replace.ts';

const photo = { fileName: 'menu-board.png', md5: 'a'.repeat(32) };

describe('what may replace a file', () => {
  it('takes another image for an image, whatever its format', () => {
    expect(replacementProblem(photo, { name: 'menu-board.webp', size: 1000, md5: 'b'.repeat(32) })).toBeUndefined();
  });

  it('refuses another kind of file, saying what to do instead', () => {
    expect(replacementProblem(photo, { name: 'menu.pdf', size: 1000 })).toMatchObject({ code: 'other_kind', message: expect.stringContaining('Upload it as a new asset instead') });
  });

  it('refuses what Webflow refuses on upload: its type, its size, an empty file', () => {
    expect(replacementProblem(photo, { name: 'menu.heic', size: 1000 })?.code).toBe('unsupported_type');
    expect(replacementProblem(photo, { name: 'menu.png', size: 4 * 1024 * 1024 + 1 })?.code).toBe('too_large');
    expect(replacementProblem(photo, { name: 'menu.png', size: 0 })?.code).toBe('empty_file');
    expect(replacementProblem({ fileName: 'price-list.pdf', md5: null }, { name: 'prices.pdf', size: 9 * 1024 * 1024 })).toBeUndefined();
  });

  it('refuses the very file the asset has, once both MD5s are known', () => {
    expect(replacementProblem(photo, { name: 'copy.png', size: 10, md5: photo.md5 })?.code).toBe('same_file');
    expect(replacementProblem({ ...photo, md5: null }, { name: 'copy.png', size: 10, md5: photo.md5 })).toBeUndefined();
  });
});
