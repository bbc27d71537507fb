// A real browser for the page tests: Debian's Chromium, driven by playwright-core (which
// downloads no browser of its own). `.ci/run` installs the package where it is missing.
import fs from 'node:fs';
import path from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';

const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'].filter(Boolean) as string[];

export async function launchChromium(): Promise<Browser> {
  const executablePath = candidates.find((p) => fs.existsSync(p));
  if (!executablePath) throw new Error('no Chromium: install Debian\'s package (apt-get install chromium) or set CHROMIUM_PATH');
  // --no-sandbox: CI runs as root, where Chromium's sandbox refuses to start.
  return chromium.launch({ executablePath, args: ['--no-sandbox'] });
}

/**
 * With UPDATE_SCREENSHOTS=1, what the page shows now becomes its picture in docs/images/ (the
 * README's and the docs'): `UPDATE_SCREENSHOTS=1 npx vitest run test/docs/try-it.test.ts`.
 */
export async function screenshot(page: Page, name: string): Promise<void> {
  if (process.env.UPDATE_SCREENSHOTS) await page.screenshot({ path: path.resolve(__dirname, '..', '..', 'docs', 'images', name) });
}
