import { test as base, expect, type Page } from '@playwright/test';
import { bootstrapAdmin, reissueCard, type StaffBrowser } from './identity.ts';
import { addVirtualAuthenticator, type VirtualAuthenticator } from './virtual-authenticator.ts';

/** What the page reported as going wrong while a test used it. */
export interface PageProblems {
  consoleErrors: string[];
  pageErrors: string[];
  cspViolations: string[];
}

async function watchForProblems(page: Page): Promise<PageProblems> {
  const problems: PageProblems = { consoleErrors: [], pageErrors: [], cspViolations: [] };
  page.on('console', (message) => {
    if (message.type() === 'error') problems.consoleErrors.push(message.text());
  });
  page.on('pageerror', (error) => problems.pageErrors.push(error.message));
  // CSP violations are reported to the page as events; init scripts run via DevTools, so the
  // policy under test does not block the listener itself.
  await page.exposeFunction('__townhallReportCspViolation', (description: string) => {
    problems.cspViolations.push(description);
  });
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) => {
      const report = (window as unknown as { __townhallReportCspViolation: (d: string) => void })
        .__townhallReportCspViolation;
      report(`${event.effectiveDirective} blocked ${event.blockedURI || 'inline'} (${event.sourceFile}:${event.lineNumber})`);
    });
  });
  return problems;
}

/** Issues poll cards for a test, as an administrator of its own. */
export interface CardIssuer {
  /** Re-issues the elector's card and returns the activation code on the new letter. */
  issueCode(electorNumber: string): Promise<string>;
  readonly staff: StaffBrowser;
}

export const test = base.extend<{
  pageProblems: PageProblems;
  virtualAuthenticator: VirtualAuthenticator;
  cardIssuer: CardIssuer;
}>({
  // Per test (each test seeds its own data): an administrator who joined through admin:invite.
  cardIssuer: async ({ browser }, use, testInfo) => {
    const staff = await bootstrapAdmin(browser, `Card issuer ${testInfo.testId.slice(0, 8)}`);
    await use({ staff, issueCode: (electorNumber) => reissueCard(staff.page, electorNumber) });
    await staff.context.close();
  },
  pageProblems: async ({ page }, use) => {
    await use(await watchForProblems(page));
  },
  virtualAuthenticator: async ({ page }, use) => {
    const authenticator = await addVirtualAuthenticator(page);
    await use(authenticator);
    await authenticator.remove();
  },
});

export { expect };
