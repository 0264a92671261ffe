import { defineConfig, devices } from '@playwright/test';
import { chromiumArgs, chromiumExecutablePath } from './support/chromium.ts';
import { findFreePort } from './support/free-port.ts';
import { newTestDatabaseName } from './support/test-database.ts';

// Playwright evaluates this file in the runner and again in every worker; the port is chosen once
// in the runner and handed to the workers through the environment they inherit.
process.env.TOWNHALL_E2E_PORT ??= String(await findFreePort());
// The demo council service that signs residents in with Townhall ID (started by the API).
process.env.TOWNHALL_E2E_DEMO_SERVICE_PORT ??= String(await findFreePort());
const port = Number(process.env.TOWNHALL_E2E_PORT);
// The test database's name too: tests run `npm run admin:invite` against it.
process.env.TOWNHALL_E2E_DATABASE ??= newTestDatabaseName();

// `localhost` rather than 127.0.0.1: WebAuthn accepts it as a relying-party id; an IP address is not.
const baseURL = `http://localhost:${port}`;

export default defineConfig({
  testDir: './tests',
  outputDir: './.reports/test-results',
  fullyParallel: true,
  forbidOnly: Boolean(process.env.CI),
  retries: 0,
  workers: 2,
  timeout: 30_000,
  expect: {
    timeout: 10_000,
    // Page screenshots (support/page-looks.ts) against baselines committed in screenshots/; a missing
    // baseline fails the run under CI (Playwright writes one only outside CI or with --update-snapshots).
    // The tolerance absorbs font anti-aliasing; a missing style moves far more than 0.5% of a page.
    toHaveScreenshot: { pathTemplate: '{testDir}/../screenshots/{arg}{ext}', maxDiffPixelRatio: 0.005, threshold: 0.2 },
  },
  reporter: [['list'], ['json', { outputFile: '.reports/playwright.json' }]],
  use: {
    baseURL,
    headless: true,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: { executablePath: chromiumExecutablePath(), args: chromiumArgs },
  },
  projects: [
    // The roll import replaces the council's roll and re-issues a ward's poll cards: it runs
    // first, alone, so that no other test holds an activation code it makes stale.
    { name: 'roll', use: { ...devices['Desktop Chrome'] }, testMatch: /identity-roll\.spec\.ts/ },
    { name: 'desktop', use: { ...devices['Desktop Chrome'] }, testIgnore: /identity-roll\.spec\.ts/, dependencies: ['roll'] },
    { name: 'phone', use: { ...devices['Pixel 7'] }, grep: /@phone/, testIgnore: /identity-roll\.spec\.ts/, dependencies: ['roll'] },
  ],
  webServer: {
    command: 'node --import tsx support/start-server.ts',
    url: `http://127.0.0.1:${port}/api/health`,
    env: {
      TOWNHALL_E2E_PORT: String(port),
      TOWNHALL_E2E_DATABASE: process.env.TOWNHALL_E2E_DATABASE,
      TOWNHALL_E2E_DEMO_SERVICE_PORT: process.env.TOWNHALL_E2E_DEMO_SERVICE_PORT,
    },
    timeout: 120_000,
    reuseExistingServer: false,
    stdout: 'pipe',
    stderr: 'pipe',
    // SIGTERM lets the launcher stop the API and drop its throwaway database.
    gracefulShutdown: { signal: 'SIGTERM', timeout: 15_000 },
  },
});
