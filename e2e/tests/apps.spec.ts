import { CouncilSummary } from '@townhall/protocol';
import { findAccessibilityViolations } from '../support/accessibility.ts';
import { expect, test } from '../support/fixtures.ts';

const apps = [
  { name: 'voter', path: '/', serviceName: 'Townhall — Vote', heading: 'Vote in your council’s elections', listsWards: true },
  // Staff pages need a staff sign-in (identity-staff.spec.ts): anyone else gets the sign-in page.
  { name: 'official', path: '/official/', serviceName: 'Townhall — Election officials', heading: 'Sign in', listsWards: false },
  { name: 'verifier', path: '/verify/', serviceName: 'Townhall — Verify an election', heading: 'Verify an election', listsWards: false },
] as const;

for (const app of apps) {
  test.describe(`${app.name} app at ${app.path}`, () => {
    test(`shows the council it fetched from the API, without console errors or CSP violations @phone`, async ({
      page,
      pageProblems,
      request,
    }) => {
      const council = CouncilSummary.parse(await (await request.get('/api/council')).json());
      expect(council.name).toBe('Demo Borough Council');

      const response = await page.goto(app.path);
      expect(response?.status()).toBe(200);
      expect(response?.headers()['content-security-policy']).toContain("script-src 'self'");

      await expect(page.locator('html')).toHaveAttribute('lang', 'en');
      await expect(page.getByRole('banner').getByRole('link', { name: app.serviceName })).toBeVisible();
      await expect(page.getByRole('banner')).toContainText(council.name);
      await expect(page.getByRole('heading', { level: 1, name: app.heading })).toBeVisible();
      await expect(page.getByRole('main')).toContainText(council.name);

      if (app.listsWards) {
        const wardTable = page.getByRole('table');
        for (const district of council.districts) {
          await expect(wardTable.getByRole('rowheader', { name: district.name, exact: true })).toBeVisible();
        }
        // The seeded demo election is open, so the home page offers it (with any other test's open election).
        await expect(page.getByRole('heading', { name: /^(An election is|Elections are) open$/ })).toBeVisible();
        await expect(page.getByRole('link', { name: /demo/i }).first()).toHaveAttribute('href', /^\/elections\/[0-9a-f-]+\/vote$/);
      }
      await expect(page).toHaveTitle(new RegExp(app.serviceName));

      // Nothing on the page may overflow sideways, on a phone or a desktop.
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow).toBeLessThanOrEqual(0);

      expect(await findAccessibilityViolations(page)).toEqual([]);
      expect(pageProblems).toEqual({ consoleErrors: [], pageErrors: [], cspViolations: [] });
    });

    test('offers a skip link that moves focus to the main content', async ({ page, pageProblems }) => {
      await page.goto(app.path);
      await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
      await page.keyboard.press('Tab');
      const skipLink = page.getByRole('link', { name: 'Skip to main content' });
      await expect(skipLink).toBeFocused();
      await page.keyboard.press('Enter');
      await expect(page.getByRole('main')).toBeFocused();
      expect(pageProblems.consoleErrors).toEqual([]);
    });

    test('answers an unknown page inside the app with its own "Page not found"', async ({ page, pageProblems }) => {
      const response = await page.goto(`${app.path}no/such/page`);
      expect(response?.status()).toBe(200);
      await expect(page.getByRole('heading', { level: 1, name: 'Page not found' })).toBeVisible();
      await expect(page).toHaveTitle(/^Page not found/);
      expect(pageProblems).toEqual({ consoleErrors: [], pageErrors: [], cspViolations: [] });
    });
  });
}
