/**
 * The ballot at 200% zoom (WCAG 1.4.4) and reflowed to 320 CSS pixels (WCAG 1.4.10): a 1280 by 720
 * window zoomed to 200% lays pages out in 640 by 360 CSS pixels at two device pixels each, and 400%
 * in 320 by 180. At both, a resident enrols and votes; the ballot, check answers and confirmation
 * pages must not scroll sideways, must cut nothing off, and must pass axe's WCAG 2.2 AA rules.
 */
import type { Page } from '@playwright/test';
import { findCutOffContent, horizontalOverflow } from '../support/a11y-check.ts';
import { A11Y_ELECTORS, type AccessibilityElector } from '../support/a11y-residents.ts';
import { ensureAccessibilityElectors } from '../support/a11y-residents.ts';
import { findAccessibilityViolations } from '../support/accessibility.ts';
import { expect, test } from '../support/fixtures.ts';

const DEMO_TITLE = 'Demo election (not real): favourite park improvement';
const heading = (page: Page, name: string | RegExp) => page.getByRole('heading', { level: 1, name });

async function expectFits(page: Page, name: string) {
  await expect(page.getByRole('heading', { level: 1 }).first()).toBeVisible();
  expect.soft(await horizontalOverflow(page), `${name} scrolls sideways`).toBeLessThanOrEqual(0);
  expect.soft(await findCutOffContent(page), `${name}: content cut off`).toEqual([]);
  expect.soft(await findAccessibilityViolations(page), `${name}: axe`).toEqual([]);
}

async function enrol(page: Page, code: string, elector: AccessibilityElector) {
  await page.goto(`/enrol?code=${code}`);
  await expectFits(page, 'activation code');
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.getByLabel('My postcode').check();
  await page.getByLabel('Postcode', { exact: true }).fill(elector.postcode);
  await expectFits(page, 'postcode');
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(heading(page, 'Create a passkey')).toBeVisible();
  await page.getByRole('button', { name: 'Create a passkey' }).click();
  await expect(heading(page, 'Your account is set up')).toBeVisible();
}

test('the cut-off check finds text wider than a box that hides its overflow', async ({ page }) => {
  await page.setContent('<html lang="en"><body><div style="width: 100px; overflow: hidden; white-space: nowrap">A sentence far too long for its narrow box</div></body></html>');
  expect(await findCutOffContent(page)).toEqual([expect.stringContaining('cuts off')]);
});

const zoomLevels = [
  { name: '200% zoom', viewport: { width: 640, height: 360 }, elector: A11Y_ELECTORS.zoom },
  { name: '400% zoom (reflow at 320 CSS pixels)', viewport: { width: 320, height: 180 }, elector: A11Y_ELECTORS.reflow },
] as const;

for (const zoom of zoomLevels) {
  test.describe(zoom.name, () => {
    test.use({ viewport: zoom.viewport, deviceScaleFactor: zoom.viewport.width === 640 ? 2 : 4 });

    test(`a resident votes at ${zoom.name}: the ballot, check answers and confirmation fit the window`, async ({ page, cardIssuer, virtualAuthenticator: _device, pageProblems }) => {
      test.setTimeout(120_000);
      await ensureAccessibilityElectors(cardIssuer.staff.page);
      await enrol(page, await cardIssuer.issueCode(zoom.elector.number), zoom.elector);

      await page.goto('/elections');
      await page.getByRole('link', { name: DEMO_TITLE }).click();
      await expect(heading(page, DEMO_TITLE)).toBeVisible();
      await expectFits(page, 'start voting');
      await page.getByRole('button', { name: 'Confirm it’s you and start' }).click();
      await expect(heading(page, 'Choose your answers')).toBeVisible();
      await expectFits(page, 'ballot');
      await page.getByRole('button', { name: 'Continue' }).click();
      await expect(page.locator('.govuk-error-summary')).toBeVisible();
      await expectFits(page, 'ballot with an error');
      await page.getByLabel('Better lighting on the paths').check();
      await page.getByLabel('Summer concerts').check();
      await page.getByRole('button', { name: 'Continue' }).click();

      await expect(heading(page, 'Check your answers before sealing your ballot')).toBeVisible();
      await expect(page.locator('.govuk-summary-list')).toContainText('Better lighting on the paths');
      await expectFits(page, 'check answers');
      await page.getByRole('button', { name: 'Seal my ballot' }).click();
      await expect(heading(page, 'Your ballot is sealed and ready to cast')).toBeVisible({ timeout: 30_000 });
      await expectFits(page, 'sealed ballot');
      await page.getByRole('button', { name: 'Cast my ballot' }).click();

      await expect(heading(page, 'Ballot cast')).toBeVisible({ timeout: 30_000 });
      await expect(page.getByTestId('tracking-code')).toHaveText(/^[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}$/);
      await expectFits(page, 'confirmation');
      expect(pageProblems.pageErrors).toEqual([]);
      expect(pageProblems.cspViolations).toEqual([]);
    });
  });
}
