import { readFile } from 'node:fs/promises';
import { expect, type Page } from '@playwright/test';

export const VERIFIER_PATH = '/verify/';

/** Opens the verifier and waits until its worker is loaded (from then on it needs no server). */
export async function openVerifier(page: Page): Promise<void> {
  await page.goto(VERIFIER_PATH);
  await expect(page.getByRole('heading', { level: 1, name: 'Verify an election' })).toBeVisible();
  await expect(page.getByTestId('offline-ready')).toHaveText('This page is ready to check a record file without a connection.');
  // The standby verifier has started its proof workers: let their scripts finish loading. On a
  // machine busy with other work the network may not fall quiet for long; the checks that follow
  // (and the page-problem fixture) still catch a worker that failed to load, so do not wait forever.
  await page.waitForLoadState('networkidle', { timeout: 30_000 }).catch(() => undefined);
}

export async function chooseRecordFile(page: Page, path: string): Promise<void> {
  await page.getByLabel('Choose an election record file').setInputFiles(path);
}

/** Drops a record file on the start page's drop zone (a real `drop` event with a DataTransfer). */
export async function dropRecordFile(page: Page, path: string): Promise<void> {
  const text = await readFile(path, 'utf8');
  const dataTransfer = await page.evaluateHandle(
    ({ text, name }) => {
      const transfer = new DataTransfer();
      transfer.items.add(new File([text], name, { type: 'application/x-ndjson' }));
      return transfer;
    },
    { text, name: path.split('/').at(-1)! },
  );
  await page.getByTestId('record-file-drop-zone').dispatchEvent('drop', { dataTransfer });
}

/** Waits for the verdict ("Verified" / "Not verified") and returns it. */
export async function verdictOf(page: Page): Promise<string> {
  const verdict = page.getByTestId('verdict');
  await expect(verdict).toBeVisible({ timeout: 120_000 });
  return (await verdict.getByRole('heading', { level: 2 }).textContent()) ?? '';
}

/** Clicks "Download the report (JSON)" and parses the file the browser saved. */
export async function downloadReport(page: Page): Promise<unknown> {
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Download the report (JSON)' }).click()]);
  return JSON.parse(await readFile(await download.path(), 'utf8'));
}
