/**
 * One accessibility check of the page as it stands, at a desktop and a phone viewport: axe-core's
 * WCAG 2.2 AA rules (support/accessibility.ts), no sideways scrolling, and nothing wider than the
 * screen or cut off (findCutOffContent: what a person sees, not only the document's width). A scenario records which
 * (page, state) pairs it checked so that it can prove it covered the ones the registry gives it.
 * At each viewport the page is also compared with its screenshot baseline (support/page-looks.ts),
 * which sees what axe cannot: the styles.
 */
import { expect, type Page } from '@playwright/test';
import { findAccessibilityViolations } from './accessibility.ts';
import { pageOf, stateKey, statesOf, type Scenario } from './a11y-routes.ts';
import { checkLooks, type LooksOptions } from './page-looks.ts';

/** Desktop Chrome's and Pixel 7's CSS viewports (Playwright's device descriptors). */
export const A11Y_VIEWPORTS = [
  { name: 'desktop', size: { width: 1280, height: 720 } },
  { name: 'phone', size: { width: 412, height: 839 } },
] as const;

/** How far the document is wider than the viewport, in CSS pixels (positive: it scrolls sideways). */
export function horizontalOverflow(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
}

/**
 * What a person sees that does not fit: an element reaching past the viewport's sides (whether or
 * not the document then scrolls: a box that hides its overflow keeps the document from scrolling
 * but still cuts the element off), or an element whose content is wider than its box while its
 * overflow is hidden (text cut off). Visually hidden text (GOV.UK's 1-pixel clipped boxes) is meant
 * to be invisible and is left out; so is what scrolls inside a box made to scroll sideways (a wide
 * table in .th-table-scroll), and the text inside a form field, which the field scrolls.
 */
export function findCutOffContent(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    const problems: string[] = [];
    const describe = (el: Element) => `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}${el.className && typeof el.className === 'string' ? `.${el.className.trim().split(/\s+/).join('.')}` : ''} “${(el.textContent ?? '').trim().slice(0, 40)}”`;
    for (const el of document.body.querySelectorAll('*')) {
      if (el.closest('.govuk-visually-hidden, [hidden], script, style, template')) continue;
      const style = getComputedStyle(el);
      if (style.display === 'none' || style.visibility === 'hidden') continue;
      const box = el.getBoundingClientRect();
      if (box.width <= 1 || box.height <= 1) continue;
      // Inside a box that scrolls sideways by design (a wide table), the box is what must fit.
      const scroller = el.parentElement?.closest('.th-table-scroll');
      if (scroller) continue;
      if (box.left < -1 || box.right > width + 1) problems.push(`${describe(el)} reaches ${Math.round(box.left)}…${Math.round(box.right)} of ${width}`);
      const clips = ['hidden', 'clip'].includes(style.overflowX) && !['INPUT', 'TEXTAREA', 'SELECT'].includes(el.tagName);
      if (clips && el.scrollWidth > el.clientWidth + 1) problems.push(`${describe(el)} cuts off ${el.scrollWidth - el.clientWidth}px`);
    }
    return problems;
  });
}

/** The baseline's path under e2e/screenshots/: app/page/state-viewport.png, in file-name-safe words. */
function screenshotName(app: string, path: string, state: string, viewport: string): string[] {
  const words = (text: string) => text.replace(/[^A-Za-z0-9]+/g, '-').replace(/^-|-$/g, '').toLowerCase();
  return [app, words(path === '' ? 'index' : path === '*' ? 'not-found' : path), `${words(state)}-${viewport}.png`];
}

export interface A11yCoverage {
  /**
   * Checks the page in `state` at both viewports, and compares it with its screenshot baselines;
   * violations and differences are soft failures naming the page, state and viewport.
   */
  check(page: Page, state: string, looks?: LooksOptions): Promise<void>;
  /** Fails unless every state the registry assigns to the scenario was checked (and nothing else). */
  expectComplete(): void;
  readonly checked: readonly string[];
}

export function a11yCoverage(scenario: Scenario): A11yCoverage {
  const checked: string[] = [];
  return {
    checked,
    async check(page, state, looks) {
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
        expect.soft(await findCutOffContent(page), `${key} at ${viewport.name}: wider than the screen or cut off`).toEqual([]);
        expect.soft(await findAccessibilityViolations(page), `${key} at ${viewport.name}`).toEqual([]);
        await checkLooks(page, screenshotName(app, path, state, viewport.name), looks);
      }
      if (original) await page.setViewportSize(original);
      if (!checked.includes(key)) checked.push(key);
    },
    expectComplete() {
      expect([...checked].sort(), `the (page, state) pairs the ${scenario} scenario checked`).toEqual(statesOf(scenario));
    },
  };
}
