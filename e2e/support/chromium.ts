import { existsSync } from 'node:fs';

/**
 * Debian's Chromium, not a Playwright-downloaded browser build (nothing may be downloaded at
 * test time). `CHROMIUM_PATH` points elsewhere, e.g. on a developer's Mac.
 */
export function chromiumExecutablePath(): string {
  const path = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (!existsSync(path)) {
    throw new Error(
      `Chromium was not found at ${path}. Install it (Debian: apt-get install chromium) or set CHROMIUM_PATH.`,
    );
  }
  return path;
}

/** Flags for a quiet, deterministic headless Chromium in a container without a sandbox or GPU. */
export const chromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];
