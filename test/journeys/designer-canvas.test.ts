/**
 * `/designer`: the sandbox's canvas beside the panel, as in Webflow. A click on an image of the
 * canvas selects it for the panel's `webflow` (its getter and its `selectedelement`
 * subscription), and the panel's `setSelectedElement` highlights the image on the canvas.
 */
import type { Frame } from 'playwright-core';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import type { SandboxWebflowApi } from '../../src/sandbox/designer/client.ts';
import { newPage } from '../../src/stack/chromium.ts';
import { axeFindings, screenshot, useJourney, watchTrouble, type Journey } from './support.ts';

vi.setConfig({ testTimeout: 240_000 });

/** The canvas draws again after an event crosses the sandbox: wait on it, with room for a loaded machine. */
const SOON = { timeout: 30_000 };

type PanelWindow = Window & { webflow: SandboxWebflowApi; heard?: Array<string | null> };

describe('the canvas beside the panel', () => {
  const under = useJourney();
  let journey: Journey;
  beforeAll(() => {
    journey = under.journey;
  });

  it('selects on the canvas for the panel, and on the canvas from the panel', async () => {
    const page = await newPage(journey.browser, { viewport: { width: 1500, height: 900 } });
    const trouble = watchTrouble(page);
    await page.goto(journey.stack.designerUrl);
    const canvas = page.frameLocator('#canvas');
    const images = canvas.getByRole('button', { name: /^Image:/ });
    await images.first().waitFor({ timeout: 60_000 });
    await expect.poll(() => page.frames().some((frame) => frame.url() === journey.stack.panelUrl), SOON).toBe(true);
    const panel = page.frames().find((frame) => frame.url() === journey.stack.panelUrl) as Frame;
    await panel.waitForFunction(() => 'webflow' in window);
    // The subscription's stream is open before the click (the sandbox counts its listeners).
    const state = `${journey.stack.sandbox.url}/_sandbox/designer/canvas?siteId=${journey.stack.siteId}`;
    const listeners = async () => ((await (await fetch(state)).json()) as { listeners: number }).listeners;
    await expect.poll(listeners, SOON).toBeGreaterThanOrEqual(1); // the canvas's own
    // The panel's `webflow` keeps one stream for all its subscriptions; the panel's own views may
    // have opened it already, so the count to wait for is the canvas's and the panel's: two.
    await panel.evaluate(() => {
      const inPanel = window as unknown as PanelWindow;
      inPanel.heard = [];
      inPanel.webflow.subscribe('selectedelement', (element) => inPanel.heard?.push(element ? element.id.element : null));
    });
    await expect.poll(listeners, SOON).toBeGreaterThanOrEqual(2);

    // Click the second image on the canvas.
    const clicked = images.nth(1);
    const elementId = await clicked.getAttribute('data-element');
    const componentId = await clicked.getAttribute('data-component');
    await clicked.click();
    await expect.poll(() => clicked.getAttribute('aria-pressed'), SOON).toBe('true');
    const selected = await panel.evaluate(async () => (await (window as unknown as PanelWindow).webflow.getSelectedElement())?.id ?? null);
    expect(selected).toEqual({ component: componentId, element: elementId });
    await expect.poll(() => panel.evaluate(() => (window as unknown as PanelWindow).heard?.at(-1)), SOON).toBe(elementId);
    await screenshot(page, 'designer-canvas-selected');

    // Select another image from the panel: the canvas highlights it.
    const chosen = await panel.evaluate(async (already) => {
      const { webflow } = window as unknown as PanelWindow;
      const all = await webflow.getAllElements();
      const other = all.filter((element) => element.type === 'Image' && element.id.element !== already).at(-1);
      if (!other) return null;
      await webflow.setSelectedElement(other);
      return other.id.element;
    }, elementId);
    expect(chosen).not.toBeNull();
    const highlighted = canvas.locator(`button[data-element="${chosen ?? ''}"]`).first();
    await expect.poll(() => highlighted.getAttribute('aria-pressed'), SOON).toBe('true');
    await expect.poll(() => clicked.getAttribute('aria-pressed'), SOON).toBe('false');
    await screenshot(page, 'designer-panel-selected');

    expect(trouble.filter((line) => line.includes('/_sandbox/'))).toEqual([]);
    await page.close();
  });

  it('switches pages on the canvas, and the canvas passes axe with every rule', async () => {
    const page = await newPage(journey.browser, { viewport: { width: 1000, height: 800 } });
    await page.goto(journey.stack.sandbox.info.canvasUrl);
    const switcher = page.getByLabel('Page');
    const heading = page.getByRole('heading', { level: 1 }).first();
    const before = await heading.textContent();
    const target = await switcher.locator('option:not([selected])').nth(2).getAttribute('value');
    await switcher.selectOption(target ?? '');
    await expect.poll(() => heading.textContent(), SOON).not.toBe(before);
    await expect.poll(() => switcher.inputValue(), SOON).toBe(target);
    expect(await axeFindings(page)).toEqual([]);
    await page.close();
  });
});
