import { describe, expect, it } from 'vitest';
import { checkFile, contentTypeOf, kindOf } from './limits.ts';

describe('checkFile', () => {
  it('accepts an image within 4 MB', () => {
    expect(checkFile({ name: 'hero-banner@2x.png', size: 4 * 1024 * 1024 })).toBeUndefined();
  });

  it('refuses an image over 4 MB and says the limit', () => {
    const problem = checkFile({ name: 'photo.jpg', size: 4 * 1024 * 1024 + 1 });
    expect(problem?.code).toBe('too_large');
    expect(problem?.message).toContain('4.0 MB');
  });

  it('accepts a 10 MB document', () => {
    expect(checkFile({ name: 'brochure.pdf', size: 10 * 1024 * 1024 })).toBeUndefined();
  });

  it('refuses a type Webflow does not accept, naming the accepted ones', () => {
    const problem = checkFile({ name: 'photo.heic', size: 10 });
    expect(problem?.code).toBe('unsupported_type');
    expect(problem?.message).toMatch(/photo\.heic.*not a type Webflow accepts \(png, jpg/);
  });

  it('refuses names of 100 characters or more', () => {
    expect(checkFile({ name: `${'a'.repeat(96)}.png`, size: 10 })?.code).toBe('name_too_long');
    expect(checkFile({ name: `${'a'.repeat(95)}.png`, size: 10 })).toBeUndefined();
  });

  it('refuses an empty file', () => {
    expect(checkFile({ name: 'a.png', size: 0 })?.code).toBe('empty_file');
  });
});

describe('kinds and content types', () => {
  it('knows Lottie files and is case-insensitive', () => {
    expect(kindOf('anim.LOTTIE')).toBe('lottie');
    expect(contentTypeOf('LOGO.SVG')).toBe('image/svg+xml');
    expect(contentTypeOf('x.bin')).toBe('application/octet-stream');
  });
});
