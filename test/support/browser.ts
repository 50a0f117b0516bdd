// Debian's Chromium driven by playwright-core for browser tests (never a downloaded browser).
// Missing Chromium fails the test: CI installs it, and nothing may be skipped there.
import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM = process.env.RADACAST_CHROMIUM ?? '/usr/bin/chromium';

export function launchChromium(extraArgs: string[] = []): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      '--disable-sync',
      '--disable-quic',
      ...extraArgs,
    ],
  });
}
