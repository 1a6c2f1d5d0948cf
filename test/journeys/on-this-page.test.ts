/**
 * "On this page" in the Designer: the panel lists the open page's images, a fix of an image's
 * own alt text there reaches the page (the sandbox's Data API page DOM shows it), a click on the
 * canvas moves the panel to that image, and switching pages on the canvas follows in the panel.
 */
import type { Frame, Page } from 'playwright-core';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { newPage } from '../../src/stack/chromium.ts';
import { axeFindings, dataApi, eventually, screenshot, useJourney, watchTrouble, type Journey } from './support.ts';

vi.setConfig({ testTimeout: 300_000 });

const SOON = { timeout: 60_000 };

interface DomNode {
  id: string;
  type: string;
  image?: { alt: string | null; assetId: string };
}

describe('On this page', () => {
  const under = useJourney();
  let journey: Journey;
  beforeAll(() => {
    journey = under.journey;
  });

  /** The canvas's page and selection, as the sandbox holds them. */
  const canvasState = async () => {
    const response = await fetch(`${journey.stack.sandbox.url}/_sandbox/designer/canvas?siteId=${journey.stack.siteId}`);
    return (await response.json()) as { pageId: string; selected: { id: { element: string } } | null };
  };

  /** Every node of a page's DOM from the Data API, primary locale. */
  const pageDom = async (pageId: string): Promise<DomNode[]> => {
    const nodes: DomNode[] = [];
    for (let offset = 0; ; ) {
      const url = `${journey.stack.sandbox.info.apiBaseUrl}/pages/${pageId}/dom?offset=${offset}&limit=100`;
      const page = await dataApi<{ nodes: DomNode[]; pagination: { total: number } }>(journey.stack, url);
      nodes.push(...page.nodes);
      offset += 100;
      if (offset >= page.pagination.total) return nodes;
    }
  };

  async function openDesigner(): Promise<{ page: Page; panel: Frame; trouble: string[] }> {
    const page = await newPage(journey.browser, { viewport: { width: 1500, height: 900 } });
    const trouble = watchTrouble(page);
    // The panel hears the canvas over the sandbox's event stream: a canvas click before the
    // panel's stream is open would be missed, as a Designer event before `subscribe` is.
    const panelStream = page.waitForResponse((response) => response.url().includes('/_sandbox/designer/events') && response.frame().url() === journey.stack.panelUrl, SOON);
    await page.goto(journey.stack.designerUrl);
    await page.frameLocator('#canvas').getByRole('button', { name: /^Image:/ }).first().waitFor(SOON);
    await expect.poll(() => page.frames().some((frame) => frame.url() === journey.stack.panelUrl), SOON).toBe(true);
    const panel = page.frames().find((frame) => frame.url() === journey.stack.panelUrl) as Frame;
    await panel.getByRole('button', { name: 'On this page' }).waitFor(SOON);
    await panelStream;
    return { page, panel, trouble };
  }

  it('fixes an image’s alt text on the page, and the page DOM shows it', async () => {
    const { page, panel, trouble } = await openDesigner();
    const { pageId } = await canvasState();
    await panel.getByRole('button', { name: 'On this page' }).click();
    const list = panel.getByRole('list', { name: /^Images on / });
    await list.waitFor(SOON);
    const fields = list.getByRole('textbox', { name: /^Alt text on this page for / });
    await expect.poll(() => fields.count(), SOON).toBeGreaterThan(0);

    // The first image of the page whose element is its own (not inside a component instance).
    const dom = await pageDom(pageId);
    const images = dom.filter((node) => node.type === 'image' && node.image);
    const target = images[0] as DomNode;
    expect(target).toBeDefined();
    const field = list.locator(`li[data-element-id="${target.id}"]`).getByRole('textbox', { name: /^Alt text on this page for / });
    const override = 'A barista pours latte art at the counter';
    await field.fill(override);
    await field.press('Enter');

    const after = await eventually(
      async () => (await pageDom(pageId)).find((node) => node.id === target.id)?.image?.alt ?? null,
      (alt) => alt === override,
    );
    expect(after).toBe(override);
    // Nothing else of the page changed.
    const others = (await pageDom(pageId)).filter((node) => node.id !== target.id);
    expect(others).toEqual(dom.filter((node) => node.id !== target.id));
    await expect.poll(() => list.locator(`li[data-element-id="${target.id}"]`).getByText('Own alt text on this page').count(), SOON).toBe(1);
    await screenshot(page, 'on-this-page-fixed');

    // Undo (Ctrl+Z in the view) puts the element's previous setting back on the page.
    await list.getByRole('textbox', { name: /^Alt text on this page for / }).first().focus();
    await panel.locator('body').press('Control+z');
    await eventually(
      async () => (await pageDom(pageId)).find((node) => node.id === target.id)?.image?.alt ?? null,
      (alt) => alt === (target.image?.alt ?? null),
    );

    expect(await axeFindings(panel)).toEqual([]);
    expect(trouble).toEqual([]);
    await page.close();
  });

  it('follows the canvas: a click there moves the panel to that image, and a page switch lists the new page', async () => {
    const { page, panel, trouble } = await openDesigner();
    await panel.getByRole('button', { name: 'On this page' }).click();
    const list = panel.getByRole('list', { name: /^Images on / });
    await list.waitFor(SOON);
    const canvas = page.frameLocator('#canvas');
    // Images inside a component instance are listed on the canvas too; pick a page-level one the panel lists.
    const listed = await list.locator('li[data-element-id]').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-element-id')));
    expect(listed.length).toBeGreaterThan(1);
    const last = listed.at(-1) as string;
    await canvas.locator(`button[data-element="${last}"]`).first().click();
    await expect.poll(async () => (await canvasState()).selected?.id.element ?? null, SOON).toBe(last);
    await expect
      .poll(() => panel.evaluate(() => document.activeElement?.closest('li[data-element-id]')?.getAttribute('data-element-id') ?? null), SOON)
      .toBe(last);
    await screenshot(page, 'on-this-page-follows-canvas');

    // Focusing a row selects its image on the canvas.
    const first = listed[0] as string;
    await list.locator(`li[data-element-id="${first}"]`).getByRole('textbox', { name: /^Alt text on this page for / }).focus();
    await expect.poll(async () => (await canvasState()).selected?.id.element ?? null, SOON).toBe(first);
    await expect.poll(() => canvas.locator(`button[data-element="${first}"]`).first().getAttribute('aria-pressed'), SOON).toBe('true');

    // Switch pages on the canvas: the panel lists the new page's images.
    const before = (await canvasState()).pageId;
    const title = (await panel.getByRole('heading', { name: /^On this page: / }).textContent()) ?? '';
    const switcher = canvas.getByLabel('Page');
    const options = await switcher.locator('option').evaluateAll((all) => all.map((option) => (option as HTMLOptionElement).value));
    const other = options.find((value) => value && value !== before) as string;
    await switcher.selectOption(other);
    await expect.poll(async () => (await canvasState()).pageId, SOON).toBe(other);
    await expect.poll(async () => (await panel.getByRole('heading', { name: /^On this page: / }).textContent()) !== title, SOON).toBe(true);
    const otherImages = (await pageDom(other)).filter((node) => node.type === 'image').map((node) => node.id);
    await expect
      .poll(async () => {
        const rows = await panel.locator('li[data-element-id]').evaluateAll((all) => all.map((row) => row.getAttribute('data-element-id')));
        return otherImages.every((id) => rows.includes(id));
      }, SOON)
      .toBe(true);
    expect(trouble).toEqual([]);
    await page.close();
  });
});
