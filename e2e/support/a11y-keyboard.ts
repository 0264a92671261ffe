/**
 * A person using only a keyboard: Tab and Shift+Tab move the focus, and every element the focus
 * lands on is recorded with what a sighted keyboard user needs from it (WCAG 2.4.3 focus order,
 * 2.4.7 focus visible, 2.4.11 focus not obscured): a visible focus indicator, a place after (or,
 * going back, before) the element focused before, and a place on the screen.
 */
import type { Page } from '@playwright/test';

export interface FocusStop {
  /** Where the stop was, for the report: the page's path and the element's role and name. */
  path: string;
  element: string;
  name: string;
  hasVisibleFocus: boolean;
  isInOrder: boolean;
  isOnScreen: boolean;
  /** For radios and checkboxes. */
  isChecked: boolean | null;
}

declare global {
  interface Window {
    __a11yFocusBefore?: Element | null;
  }
}

/** In the page: the focused element as a FocusStop, compared with `window.__a11yFocusBefore`. */
function describeFocus(backwards: boolean): Omit<FocusStop, 'path'> | null {
  const element = document.activeElement as HTMLElement | null;
  if (!element || element === document.body || element === document.documentElement) return null;
  const input = element instanceof HTMLInputElement ? element : null;
  const labelText = input?.labels?.[0]?.textContent ?? (element instanceof HTMLTextAreaElement || element instanceof HTMLSelectElement ? element.labels?.[0]?.textContent : null);
  const name = (element.getAttribute('aria-label') ?? labelText ?? element.textContent ?? '').replace(/\s+/g, ' ').trim();

  // GOV.UK Frontend draws focus as a yellow box-shadow (links, buttons, the radio or checkbox
  // label's ::before), or an outline on inputs; a transparent outline alone (only for
  // forced-colours mode) does not count.
  const isIndicator = (style: CSSStyleDeclaration) => {
    const hasShadow = style.boxShadow !== 'none' && style.boxShadow !== '';
    const outlineColour = style.outlineColor.replace(/\s/g, '');
    const hasOutline =
      style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 1 && outlineColour !== 'transparent' && !/rgba\(\d+,\d+,\d+,0\)/.test(outlineColour);
    return hasShadow || hasOutline;
  };
  let hasVisibleFocus = isIndicator(getComputedStyle(element));
  const isToggle = input !== null && (input.type === 'radio' || input.type === 'checkbox');
  if (!hasVisibleFocus && isToggle && input.labels?.[0]) hasVisibleFocus = isIndicator(getComputedStyle(input.labels[0], '::before'));

  const before = window.__a11yFocusBefore;
  let isInOrder = true;
  if (before && before.isConnected && before !== document.body) {
    const position = before.compareDocumentPosition(element);
    isInOrder = Boolean(position & (backwards ? Node.DOCUMENT_POSITION_PRECEDING : Node.DOCUMENT_POSITION_FOLLOWING));
    // Moving out of an element into one it contains (or the reverse) is also in order.
    if (position & (Node.DOCUMENT_POSITION_CONTAINED_BY | Node.DOCUMENT_POSITION_CONTAINS)) isInOrder = true;
  }
  // A radio or checkbox input is drawn by its label: that is what must be on screen.
  const box = (isToggle && input.labels?.[0] ? input.labels[0] : element).getBoundingClientRect();
  const isOnScreen = box.width > 0 && box.height > 0 && box.bottom > 0 && box.top < window.innerHeight && box.right > 0 && box.left < window.innerWidth;
  const role = element.getAttribute('role') ?? (input ? `input[type=${input.type}]` : element.tagName.toLowerCase());
  return { element: role, name, hasVisibleFocus, isInOrder, isOnScreen, isChecked: isToggle ? input.checked : null };
}

export class KeyboardUser {
  readonly stops: FocusStop[] = [];

  constructor(private readonly page: Page) {}

  /** Presses Tab (or Shift+Tab) until the focused element's name matches `name`; fails after `max` presses. */
  async tabTo(name: string | RegExp, { backwards = false, max = 40 } = {}): Promise<FocusStop> {
    const matches = (text: string) => (typeof name === 'string' ? text === name : name.test(text));
    for (let i = 0; i < max; i++) {
      const stop = await this.press(backwards ? 'Shift+Tab' : 'Tab');
      if (stop && matches(stop.name)) return stop;
    }
    throw new Error(`${max} presses of ${backwards ? 'Shift+Tab' : 'Tab'} did not reach “${name}”; the focus visited:\n${this.stops.slice(-max).map((s) => `  ${s.element} “${s.name}”`).join('\n')}`);
  }

  /** Presses a key (Tab, Shift+Tab, Space, Enter, arrows) and records where the focus is afterwards. */
  async press(key: string): Promise<FocusStop | null> {
    const backwards = key === 'Shift+Tab';
    const isMove = key === 'Tab' || backwards;
    await this.page.evaluate(() => {
      window.__a11yFocusBefore = document.activeElement;
    });
    await this.page.keyboard.press(key);
    const described = await this.page.evaluate(describeFocus, backwards);
    if (!described) return null;
    // Order is judged only for Tab and Shift+Tab; an arrow key moves within a radio group by design.
    const stop: FocusStop = { ...described, isInOrder: isMove ? described.isInOrder : true, path: new URL(this.page.url()).pathname };
    this.stops.push(stop);
    return stop;
  }

  /** Types into the focused element, as a keyboard does. */
  async type(text: string): Promise<void> {
    await this.page.keyboard.type(text);
  }

  /** The stops that lacked a visible indicator, came out of order or were off screen. */
  problems(): FocusStop[] {
    return this.stops.filter((s) => !s.hasVisibleFocus || !s.isInOrder || !s.isOnScreen);
  }
}
