/**
 * Screenshot comparison of a page as it stands, against a baseline committed under e2e/screenshots/
 * (the path template and the tolerance are in playwright.config.ts). axe reads the DOM, not the
 * styles: a stylesheet that fails to load or a GOV.UK class without rules passes axe but not this.
 *
 * A baseline must not depend on the run, nor on what other tests put in the database: before the
 * screenshot, text that differs from run to run (dates and times, codes, tokens, hashes, ids,
 * pseudonyms, the server's port, and every number: ledger indices, counts, durations) is replaced in
 * the page by a fixed text of the same length, and put back afterwards. What else a scenario knows to
 * depend on other tests it passes as `mask` (painted over: a chart's bars) or `hide` (left out: the
 * rows of a list of everything in the database that are not the test's own).
 */
import { expect, type Locator, type Page } from '@playwright/test';

export interface LooksOptions {
  /** Parts of the page whose content depends on the run or on other tests: painted over. */
  mask?: Locator[];
  /** Parts whose presence depends on other tests (rows of a list of everything): left out. */
  hide?: Locator[];
}

const HIDDEN = 'data-looks-hidden';

/** What a page shows while it waits for the API (LoadingMessage, a busy form, a link still loading). */
const LOADING = '[role="status"]:text-matches("…$"), [aria-busy="true"], a:text-is("Loading…")';

/** Compares the page with the baseline `name` (path segments under e2e/screenshots/). */
export async function checkLooks(page: Page, name: string[], options: LooksOptions = {}): Promise<void> {
  await expect(page.locator(LOADING)).toHaveCount(0);
  await page.evaluate(() => document.fonts.ready);
  for (const part of options.hide ?? []) await part.evaluateAll(hideElements, HIDDEN);
  await page.evaluate(freezeRunSpecificText, true);
  try {
    await expect.soft(page, `${name.join('/')} looks as its baseline`).toHaveScreenshot(name, {
      fullPage: true,
      mask: options.mask ?? [],
      animations: 'disabled',
      caret: 'hide',
    });
  } finally {
    await page.evaluate(freezeRunSpecificText, false);
    await page.locator(`[${HIDDEN}]`).evaluateAll(showElements, HIDDEN);
  }
}

/** Runs in the page: takes the elements out of the layout, keeping their own style in `marker`. */
function hideElements(elements: Element[], marker: string): void {
  for (const element of elements as HTMLElement[]) {
    element.setAttribute(marker, element.getAttribute('style') ?? '');
    element.style.setProperty('display', 'none', 'important');
  }
}

/** Runs in the page: puts back the elements hideElements took out. */
function showElements(elements: Element[], marker: string): void {
  for (const element of elements) {
    const style = element.getAttribute(marker);
    if (style) element.setAttribute('style', style);
    else element.removeAttribute('style');
    element.removeAttribute(marker);
  }
}

/**
 * Runs in the page: with `freeze`, replaces run-specific text in text nodes and form fields by a
 * fixed text (a token keeps its length and punctuation, each letter and digit becoming 0; a number
 * becomes 0) and keeps the originals; without, puts the originals back. While frozen, text the app
 * changes (a dashboard that refreshes itself) is frozen again before it is painted.
 */
function freezeRunSpecificText(freeze: boolean): void {
  type Frozen = { observer: MutationObserver; originals: Map<Text | HTMLInputElement | HTMLTextAreaElement, string> };
  const store = window as unknown as { __townhallFrozenText?: Frozen };
  if (!freeze) {
    const frozen = store.__townhallFrozenText;
    frozen?.observer.disconnect();
    for (const [target, text] of frozen?.originals ?? []) {
      if (target instanceof Text) target.data = text;
      else target.value = text;
    }
    delete store.__townhallFrozenText;
    return;
  }
  // Every letter and digit the same glyph: a token's random mix of them must not show either.
  const sameShape = (text: string) => text.replace(/[A-Za-z0-9]/g, '0');
  const months = 'January|February|March|April|May|June|July|August|September|October|November|December';
  const patterns: [RegExp, (match: string) => string][] = [
    // The test server's port is a free one chosen per run.
    [/\b(?:localhost|127\.0\.0\.1):\d+/g, () => 'localhost:3000'],
    // Dates as the apps write them ("7 December 2026", "7 December 2026 at 03:23"), and ISO dates.
    [new RegExp(`\\b\\d{1,2} (?:${months}) \\d{4}`, 'g'), () => '1 January 2027'],
    [/\b\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?Z?)?/g, sameShape],
    [/\b\d{1,2}:\d{2}(?::\d{2})?\b/g, sameShape],
    // Codes, tokens, hashes, ids, pseudonyms: a word of 8 or more letters, digits, - and _ with a
    // digit in it, or of 20 or more (no English word is; a random token may have no digit), and
    // base64 (hashes and signatures in a checkpoint).
    [/(?<![\w-])(?:(?=[\w-]*\d)[\w-]{8,}|[\w-]{20,})(?![\w-])/g, sameShape],
    // Every character of it, + and / too: where they fall decides where the line wraps.
    [/[\w+/-]{20,}/g, (match) => '0'.repeat(match.length)],
    // Counts, indices, sizes and durations depend on what else the run did; numbers in a token above
    // are left as they are (they keep its shape), and so is what the patterns above made all zeros.
    [/(?<![\w+/-])(?=[\d.,]*[1-9])\d+(?:[.,]\d+)*(?![\w+/-])/g, () => '0'],
  ];
  const replace = (text: string) => patterns.reduce((out, [pattern, by]) => out.replace(pattern, by), text);
  const originals = new Map<Text | HTMLInputElement | HTMLTextAreaElement, string>();
  // The replacement of a replaced text is itself, so freezing again changes nothing and stops there.
  const freezeText = (node: Text) => {
    if (node.parentElement?.closest('script, style')) return;
    const text = replace(node.data);
    if (text === node.data) return;
    originals.set(node, node.data);
    node.data = text;
  };
  const freezeTree = (root: Node) => {
    if (root instanceof Text) return freezeText(root);
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) freezeText(node as Text);
  };
  freezeTree(document.body);
  for (const field of document.querySelectorAll<HTMLInputElement | HTMLTextAreaElement>('input, textarea')) {
    if (field instanceof HTMLInputElement && ['checkbox', 'radio', 'file', 'hidden'].includes(field.type)) continue;
    const text = replace(field.value);
    if (text === field.value) continue;
    originals.set(field, field.value);
    field.value = text;
  }
  const observer = new MutationObserver((mutations) => {
    for (const mutation of mutations) {
      if (mutation.target instanceof Text) freezeText(mutation.target);
      mutation.addedNodes.forEach(freezeTree);
    }
  });
  observer.observe(document.body, { subtree: true, childList: true, characterData: true });
  store.__townhallFrozenText = { observer, originals };
}
