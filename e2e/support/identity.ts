/**
 * Seeding for the identity tests, each test its own: staff through `npm run admin:invite` (the
 * command an operator runs) and the official app, activation codes from the poll-card letters the
 * API issues (the API has no other way to reveal a code, by design).
 */
import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { expect, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { testBaseUrl, testDatabaseUrl } from './test-database.ts';
import { addVirtualAuthenticator, type VirtualAuthenticator } from './virtual-authenticator.ts';

const apiDir = resolve(import.meta.dirname, '../../apps/api');
const run = promisify(execFile);
// pdfkit letters use the standard 14 fonts, which pdf.js reads from its own folder.
const standardFontDataUrl = `${resolve(dirname(createRequire(import.meta.url).resolve('pdfjs-dist/package.json')), 'standard_fonts')}/`;

/** Runs the admin:invite script against the test database and returns the one-time link it prints. */
export async function createAdminInvitation(displayName: string): Promise<string> {
  const { stdout } = await run(process.execPath, ['--import', 'tsx', 'scripts/admin-invite.ts', '--force', '--name', displayName], {
    cwd: apiDir,
    env: { ...process.env, NODE_ENV: 'production', DATABASE_URL: testDatabaseUrl(), TOWNHALL_PUBLIC_URL: testBaseUrl(), TOWNHALL_LOG_LEVEL: 'warn' },
  });
  const link = /https?:\/\/\S+\/official\/invite\/\S+/.exec(stdout)?.[0];
  if (!link) throw new Error(`admin:invite printed no link:\n${stdout}`);
  return link;
}

export interface StaffBrowser {
  context: BrowserContext;
  page: Page;
  authenticator: VirtualAuthenticator;
}

/** A new browser (context) with its own passkey authenticator accepts `invitationUrl`. */
export async function joinAsStaff(browser: Browser, invitationUrl: string): Promise<StaffBrowser> {
  const context = await browser.newContext({ baseURL: testBaseUrl() });
  const page = await context.newPage();
  const authenticator = await addVirtualAuthenticator(page);
  await page.goto(invitationUrl);
  await page.getByRole('button', { name: 'Create a passkey and join' }).click();
  // Room for a loaded 2-core machine: the passkey ceremony and the staff row are one round trip each.
  await expect(page.getByRole('heading', { level: 1, name: 'You have joined' })).toBeVisible({ timeout: 30_000 });
  return { context, page, authenticator };
}

export async function bootstrapAdmin(browser: Browser, displayName = 'Test Administrator'): Promise<StaffBrowser> {
  return joinAsStaff(browser, await createAdminInvitation(displayName));
}

/** A state-changing API call from the page's browser, carrying the session's CSRF token and Origin. */
export async function apiPost(page: Page, path: string, body: unknown = {}) {
  const session = (await (await page.request.get('/api/session')).json()) as { csrfToken: string };
  return page.request.post(`/api${path}`, {
    data: body,
    headers: { 'x-csrf-token': session.csrfToken, origin: testBaseUrl() },
  });
}

/** The text of every page of a PDF, one string per page. */
export async function pdfPages(bytes: Uint8Array): Promise<string[]> {
  const document = await getDocument({ data: bytes, standardFontDataUrl, useSystemFonts: false, isEvalSupported: false }).promise;
  const pages: string[] = [];
  for (let number = 1; number <= document.numPages; number++) {
    const content = await (await document.getPage(number)).getTextContent();
    pages.push(content.items.map((item) => ('str' in item ? item.str : '')).join(' '));
  }
  await document.destroy();
  return pages;
}

const CODE_PATTERN = /\b[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}\b/;

/** The activation code printed on a poll-card letter page. */
export function activationCodeOn(pageText: string): string {
  const code = CODE_PATTERN.exec(pageText)?.[0];
  if (!code) throw new Error(`no activation code on the letter:\n${pageText}`);
  return code;
}

/** Re-issues one elector's poll card as `staff` and reads the new activation code off the letter. */
export async function reissueCard(staff: Page, electorNumber: string): Promise<string> {
  const response = await apiPost(staff, `/roll/electors/${encodeURIComponent(electorNumber)}/reissue-card`);
  expect(response.status(), await response.text().catch(() => '')).toBe(200);
  expect(response.headers()['content-type']).toBe('application/pdf');
  const [letter] = await pdfPages(new Uint8Array(await response.body()));
  expect(letter).toContain(electorNumber);
  return activationCodeOn(letter ?? '');
}
