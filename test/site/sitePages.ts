// The residents' pages in Debian's Chromium for the site tests and the screenshot script:
// open a page (with autoplay allowed, as after a resident's click), wait until its player
// shows a stage with a picture, read the panel, and run axe-core inside the page.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../support/browser.ts';

export const DESKTOP = { width: 1366, height: 768 };
export const PHONE = { width: 360, height: 740 };

/** Autoplay with sound needs a click in a real browser; tests stand in for that click. */
export function launchSiteBrowser(): Promise<Browser> {
  return launchChromium(['--autoplay-policy=no-user-gesture-required']);
}

export interface OpenOptions {
  viewport?: { width: number; height: number };
  colorScheme?: 'light' | 'dark';
}

/** Opens a page; every `playing` and `seeked` of its video is logged with the position (window.__media). */
export async function openPage(browser: Browser, url: string, options: OpenOptions = {}): Promise<Page> {
  const page = await browser.newPage({ viewport: options.viewport ?? DESKTOP, colorScheme: options.colorScheme ?? 'light', deviceScaleFactor: 1 });
  await page.addInitScript(() => {
    const log: { type: string; time: number }[] = [];
    (window as unknown as { __media: typeof log }).__media = log;
    for (const type of ['playing', 'seeked']) {
      document.addEventListener(type, (e) => log.push({ type, time: (e.target as HTMLVideoElement).currentTime }), true);
    }
  });
  await page.goto(url);
  return page;
}

/** Waits until the player is at `stage` with a picture on screen (playing or paused). */
export async function showing(page: Page, stage: string, timeout = 30_000): Promise<void> {
  await page.waitForSelector(`.player[data-stage="${stage}"][data-video="showing"]`, { timeout });
}

/**
 * Waits until the player is at `stage` with a picture and its video actually advances. Progress
 * is summed from small forward steps of the playhead, so a reload of the stream (the player
 * starting hls.js again, the playhead jumping to the new stream's position) neither fakes it
 * nor hides it.
 */
export async function playing(page: Page, stage: string, timeout = 30_000): Promise<void> {
  await showing(page, stage, timeout);
  await page.evaluate(() => Reflect.deleteProperty(window, 'radacastPlayed'));
  await page.waitForFunction(
    (s) => {
      const w = window as unknown as { radacastPlayed?: { video: HTMLVideoElement; last: number; played: number } };
      const video = document.querySelector('video');
      if (!video) return false;
      const p = w.radacastPlayed;
      if (p?.video !== video) {
        w.radacastPlayed = { video, last: video.currentTime, played: 0 };
        return false;
      }
      const step = video.currentTime - p.last;
      p.last = video.currentTime;
      if (step > 0 && step < 1.5) p.played += step;
      return p.played > 0.3 && document.querySelector(`.player[data-stage="${s}"][data-video="showing"]`) !== null;
    },
    stage,
    { timeout, polling: 100 },
  );
}

/** The seconds behind the hall the live badge shows; null without one. */
export function shownLatency(page: Page): Promise<number | null> {
  return page.evaluate(() => {
    const text = document.querySelector('.player .latency')?.textContent ?? '';
    const match = /(\d+(?:,\d)?)\s*с/.exec(text);
    return match?.[1] ? Number(match[1].replace(',', '.')) : null;
  });
}

/** A count on the vote card (`for`, `against`, …) as the panel shows it now; null without a card. */
export function shownCount(page: Page, count: 'for' | 'against' | 'abstain' | 'notVoting' | 'absent'): Promise<string | null> {
  return page.evaluate((c) => document.querySelector(`.vote [data-count="${c}"] dd`)?.textContent?.trim() ?? null, count);
}

/** The program date-time (ms) the in-step panel shows the state of; null in real time. */
export function panelTime(page: Page): Promise<number | null> {
  return page.evaluate(() => {
    const time = document.querySelector('[data-sync="in-step"] time');
    return time ? Date.parse(time.getAttribute('datetime')!) : null;
  });
}

const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: string[];
}

/** axe-core's serious and critical violations on the page as it is now. */
export async function seriousViolations(page: Page): Promise<AxeViolation[]> {
  // Evaluated through the DevTools protocol: the page's own CSP (script-src 'self') stays in force.
  await page.evaluate(AXE);
  return page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(context: Document, options: object): Promise<{ violations: { id: string; impact: string | null; help: string; nodes: { target: string[] }[] }[] }> } }).axe;
    const result = await axe.run(document, { resultTypes: ['violations'] });
    return result.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => n.target.join(' ')) }));
  });
}

/** How wide the document is (it must not scroll sideways). */
export function scrollWidth(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth);
}
