import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from '@playwright/test';
import type { AxeResults, RunOptions } from 'axe-core';

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** The WCAG 2.2 AA rule set (axe tags every rule with the level it comes from). */
const wcag22aa: RunOptions = {
  runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] },
};

export interface AccessibilityViolation {
  rule: string;
  impact: string | null;
  help: string;
  targets: string[];
}

/**
 * Runs axe-core in the page. The script is evaluated through the DevTools protocol, which the
 * page's Content-Security-Policy does not govern, so the policy under test stays strict.
 */
export async function findAccessibilityViolations(page: Page): Promise<AccessibilityViolation[]> {
  const results = await page.evaluate(
    async ({ source, options }) => {
      // Indirect eval in the page's global scope defines `window.axe`.
      (0, eval)(source);
      const axe = (window as unknown as { axe: { run: (context: Document, options: unknown) => Promise<AxeResults> } }).axe;
      return axe.run(document, options);
    },
    { source: axeSource, options: wcag22aa },
  );
  return results.violations.map((violation) => ({
    rule: violation.id,
    impact: violation.impact ?? null,
    help: violation.help,
    targets: violation.nodes.map((node) => node.target.join(' ')),
  }));
}
