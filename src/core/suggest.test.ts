import { describe, expect, it } from 'vitest';
import { suggestAltText } from './suggest.ts';

describe('suggestAltText', () => {
  it.each([
    ['63e5a1b2c3d4e5f6a7b8c9d0_hero-banner@2x.png', 'Hero banner'],
    ['team-photo-p-500.jpeg', 'Team photo'],
    ['product_shot-500w.webp', 'Product shot'],
    ['office-1920x1080.jpg', 'Office'],
    ['golden_retriever.on+beach.jpg', 'Golden retriever on beach'],
    ['heroBanner.png', 'Hero banner'],
    ['hero-min.png', 'Hero'],
    ['Hero.Banner.V2.png', 'Hero banner'],
    ['team (1).jpg', 'Team'],
    ['63e5a1b2c3d4e5f6a7b8c9d0_63e5a1b2c3d4e5f6a7b8c9d1_team.png', 'Team'],
    ['home_hero_v3_FINAL.png', 'Home hero'],
    ['Group photo at the lake.jpg', 'Group photo at the lake'],
  ])('turns %s into %s', (fileName, expected) => {
    expect(suggestAltText(fileName)).toBe(expected);
  });

  it('reduces a screenshot name to "Screenshot"', () => {
    expect(suggestAltText('Screenshot 2024-03-20 at 9.03.24 PM.png')).toBe('Screenshot');
    expect(suggestAltText('Screen Shot 2019-11-02 at 10.11.12.png')).toBe('Screenshot');
    expect(suggestAltText('Screenshot_20240320-210324.png')).toBe('Screenshot');
    expect(suggestAltText('Screenshot (12).png')).toBe('Screenshot');
  });

  it('keeps what a screenshot name says beyond its date', () => {
    expect(suggestAltText('screenshot-of-pricing-page.png')).toBe('Screenshot of pricing page');
  });

  it.each(['IMG_1234.JPG', 'DSC_0042.jpg', 'PXL_20240101_123456789.jpg', 'IMG-20240101-WA0001.jpg', 'image (3).png', 'Photo 2024-01-02.jpg', 'WhatsApp Image 2024-01-01 at 10.22.33.jpeg', 'logo.svg', '.png', '2024.png', 'Frame 12.png', 'Mask group.png', 'Artboard 1 copy 2.png', 'pexels-john-doe-123456.jpg', 'AdobeStock_123456789.jpeg'])(
    'suggests nothing for %s, which says nothing about the picture',
    (fileName) => {
      expect(suggestAltText(fileName)).toBe('');
    },
  );

  it('keeps acronyms and brand spellings but lowers shouted names', () => {
    expect(suggestAltText('CEO-portrait.jpg')).toBe('CEO portrait');
    expect(suggestAltText('iPhone-case.png')).toBe('iPhone case');
    expect(suggestAltText('TEAM-PHOTO.JPG')).toBe('Team photo');
  });

  it('keeps meaningful numbers and words around a placeholder word', () => {
    expect(suggestAltText('Step 3.png')).toBe('Step 3');
    expect(suggestAltText('acme-logo.svg')).toBe('Acme logo');
  });

  it('ignores folders in a path', () => {
    expect(suggestAltText('uploads/2024/red-bicycle.webp')).toBe('Red bicycle');
  });
});
