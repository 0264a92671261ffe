/**
 * One accessibility check of the page as it stands, at a desktop and a phone viewport: axe-core's
 * WCAG 2.2 AA rules (support/accessibility.ts) and no sideways scrolling. A scenario records which
 * (page, state) pairs it checked so that it can prove it covered the ones the registry gives it.
 */
import { expect, type Page } from '@playwright/test';
import { findAccessibilityViolations } from './accessibility.ts';
import { pageOf, stateKey, statesOf, type Scenario } from './a11y-routes.ts';

/** Desktop Chrome's and Pixel 7's CSS viewports (Playwright's device descriptors). */
export const A11Y_VIEWPORTS = [
  { name: 'desktop', size: { width: 1280, height: 720 } },
  { name: 'phone', size: { width: 412, height: 839 } },
] as const;

/** How far the document is wider than the viewport, in CSS pixels (positive: it scrolls sideways). */
export function horizontalOverflow(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
}

export interface A11yCoverage {
  /** Checks the page in `state` at both viewports; violations are soft failures naming the page, state and viewport. */
  check(page: Page, state: string): Promise<void>;
  /** Fails unless every state the registry assigns to the scenario was checked (and nothing else). */
  expectComplete(): void;
  readonly checked: readonly string[];
}

export function a11yCoverage(scenario: Scenario): A11yCoverage {
  const checked: string[] = [];
  return {
    checked,
    async check(page, state) {
      // Wait for the page's own content: its heading (a loading message has none).
      await expect(page.getByRole('heading', { level: 1 }).first()).toBeVisible();
      const { app, path } = pageOf(new URL(page.url()).pathname);
      const key = stateKey(app, path, state);
      const original = page.viewportSize();
      for (const viewport of A11Y_VIEWPORTS) {
        await page.setViewportSize(viewport.size);
        // One frame for layout at the new size.
        await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => done(null))));
        expect.soft(await horizontalOverflow(page), `${key} at ${viewport.name} scrolls sideways`).toBeLessThanOrEqual(0);
        expect.soft(await findAccessibilityViolations(page), `${key} at ${viewport.name}`).toEqual([]);
      }
      if (original) await page.setViewportSize(original);
      if (!checked.includes(key)) checked.push(key);
    },
    expectComplete() {
      expect([...checked].sort(), `the (page, state) pairs the ${scenario} scenario checked`).toEqual(statesOf(scenario));
    },
  };
}
