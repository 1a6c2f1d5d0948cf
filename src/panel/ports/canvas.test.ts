import { describe, expect, it } from 'vitest';
import { FakeCanvas } from '../testing/canvas-fakes.ts';

function setup() {
  const canvas = new FakeCanvas(
    [
      { id: 'home', name: 'Home', elements: [{ elementId: 'hero', assetId: 'a1', alt: null }, { elementId: 'text', type: 'Paragraph' }, { elementId: 'logo', assetId: null, alt: 'Logo' }] },
      { id: 'about', name: 'About', elements: [{ elementId: 'office', assetId: 'a1', alt: '' }] },
    ],
    () => 'A red door',
  );
  return { canvas, port: canvas.port() };
}

describe('the canvas port', () => {
  it('lists the open page’s images in page order with their asset and what they show', async () => {
    const { port } = setup();
    expect(await port.currentPage()).toEqual({ id: 'home', name: 'Home' });
    expect(await port.images()).toEqual([
      { elementId: 'hero', componentId: 'page-root', assetId: 'a1', shownAltText: 'A red door' },
      { elementId: 'logo', componentId: 'page-root', assetId: null, shownAltText: 'Logo' },
    ]);
  });

  it('reads the page’s elements once per page, whatever is asked of them', async () => {
    const { canvas, port } = setup();
    await port.images();
    await port.setAltText('home', 'hero', 'Front door');
    expect(await port.shownAltText('home', 'hero')).toBe('Front door');
    await port.selectElement('text');
    expect(canvas.calls.get('getAllElements')).toBe(1);
    canvas.openPage('about');
    await port.images();
    expect(canvas.calls.get('getAllElements')).toBe(2);
  });

  it('refuses to change an element of a page that is not open, saying what to do', async () => {
    const { canvas, port } = setup();
    await expect(port.setAltText('about', 'office', 'x')).rejects.toThrow('The page about is not open in the Designer; open it to change its images.');
    await expect(port.setAltText('home', 'text', 'x')).rejects.toThrow('The element text is not an image any more.');
    await expect(port.setAltText('home', 'gone', 'x')).rejects.toThrow('The element gone is no longer on this page');
    expect(canvas.image('office').alt).toBe('');
  });

  it('switches pages by id, and tells page changes and selections', async () => {
    const { canvas, port } = setup();
    const pages: string[] = [];
    const selected: Array<string | null> = [];
    const stopPages = port.onPageChange((page) => pages.push(page.name));
    const stopSelection = port.onSelect((id) => selected.push(id));
    await port.switchPage('about');
    await expect(port.switchPage('nowhere')).rejects.toThrow('The page nowhere is no longer on this site');
    await new Promise((resolve) => setTimeout(resolve, 0));
    canvas.select('office');
    canvas.select(null);
    stopPages();
    stopSelection();
    canvas.select('office');
    expect(pages).toEqual(['About']);
    expect(selected).toEqual(['office', null]);
    expect(canvas.currentPageId).toBe('about');
  });
});
