import { describe, expect, it } from 'vitest';
import type { LintCode } from './alt-lint.ts';
import { lintAltText, MAX_ALT_TEXT_LENGTH } from './alt-lint.ts';
import { suggestAltText } from './suggest.ts';

const photo = { fileName: 'golden-retriever.jpg', name: 'golden-retriever.jpg', contentType: 'image/jpeg' };
const codes = (text: string | null, asset = photo, sameTextCount?: number): LintCode[] =>
  lintAltText(text, asset, { sameTextCount }).map((finding) => finding.code);

describe('lintAltText', () => {
  it('finds nothing wrong with a real description', () => {
    expect(codes('A golden retriever catching a ball on the beach')).toEqual([]);
  });

  it('never flags a decorative image', () => {
    expect(codes(null)).toEqual([]);
  });

  it('asks for alt text on an image without any, and says how to fix it', () => {
    const [finding] = lintAltText('', photo);
    expect(finding?.code).toBe('missing');
    expect(finding?.fix).toMatch(/decorative/);
    expect(codes('   ')).toEqual(['missing']);
  });

  it('needs no alt text on documents', () => {
    expect(codes('', { fileName: 'brochure.pdf', name: 'brochure.pdf', contentType: 'application/pdf' })).toEqual([]);
  });

  it('flags the file name, with or without extension or Webflow prefix', () => {
    expect(codes('golden-retriever.jpg')).toEqual(['file_name']);
    expect(codes('Golden-Retriever')).toEqual(['file_name']);
    const hosted = { ...photo, fileName: '63e5a1b2c3d4e5f6a7b8c9d0_golden-retriever.jpg' };
    expect(codes('golden-retriever', hosted)).toEqual(['file_name']);
  });

  it('accepts a descriptive multi-word file name used as alt text', () => {
    const described = { ...photo, fileName: 'Golden retriever on the beach.jpg' };
    expect(codes('Golden retriever on the beach', described)).toEqual([]);
  });

  it('flags alt text ending in an image extension', () => {
    expect(codes('dog on beach.PNG')).toEqual(['image_extension']);
  });

  it.each(['image', 'Photo', 'logo', 'IMG_001', 'An image', 'alt text', 'untitled-1', 'Picture 3', '123'])(
    'flags the placeholder "%s"',
    (text) => {
      expect(codes(text)).toContain('placeholder');
    },
  );

  it('does not take a description that mentions a placeholder word for a placeholder', () => {
    expect(codes('Acme logo')).toEqual([]);
    expect(codes('Photo booth at the wedding')).toEqual([]);
  });

  it.each(['Image of a dog', 'picture of the team', 'A photo showing our office', 'photograph of a bridge'])(
    'flags the redundant prefix in "%s"',
    (text) => {
      expect(codes(text)).toEqual(['redundant_prefix']);
    },
  );

  it(`flags text longer than ${MAX_ALT_TEXT_LENGTH} characters and says the length`, () => {
    const long = 'A dog '.repeat(30).trim();
    const findings = lintAltText(long, photo);
    expect(findings.map((finding) => finding.code)).toEqual(['too_long']);
    expect(findings[0]?.message).toContain(String(long.length));
    expect(codes(`A dog ${'a'.repeat(MAX_ALT_TEXT_LENGTH - 6)}`)).toEqual([]);
  });

  it('flags the same text on three or more images, not on two', () => {
    expect(codes('Our team', photo, 2)).toEqual([]);
    expect(codes('Our team', photo, 3)).toEqual(['repeated']);
  });

  it('gives every finding a message and a fix', () => {
    const all = [
      ...lintAltText('', photo),
      ...lintAltText('golden-retriever.jpg', photo),
      ...lintAltText('x.png', photo),
      ...lintAltText('image', photo),
      ...lintAltText('Image of a dog', photo),
      ...lintAltText('b'.repeat(200), photo, { sameTextCount: 5 }),
    ];
    expect(new Set(all.map((finding) => finding.code)).size).toBe(7);
    for (const finding of all) {
      expect(finding.message.length).toBeGreaterThan(10);
      expect(finding.fix.length).toBeGreaterThan(10);
    }
  });

  it('agrees with suggestions from descriptive file names', () => {
    for (const fileName of ['team-photo-p-500.jpeg', '63e5a1b2c3d4e5f6a7b8c9d0_hero-banner@2x.png', 'golden_retriever.on+beach.jpg']) {
      const asset = { fileName, name: fileName, contentType: 'image/jpeg' };
      expect(lintAltText(suggestAltText(fileName), asset)).toEqual([]);
    }
  });
});
