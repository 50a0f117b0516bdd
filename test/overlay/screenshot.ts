// Reading the overlay's screenshots: pixels (with alpha) of a PNG, the boxes the scenes occupy,
// and samples of the frame outside them — to tell a transparent frame from a painted one.
import { PNG } from 'pngjs';
import type { Page } from 'playwright-core';

export type Rgba = [number, number, number, number];
export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface Shot {
  png: PNG;
  at(x: number, y: number): Rgba;
  corners(): Rgba[];
  /** Pixels on a grid, skipping everything within `margin` of a box (shadows included). */
  outside(boxes: Box[], step?: number, margin?: number): Rgba[];
  /** How many pixels of the box are painted (alpha > 200) and how many are near-white (text on a dark panel). */
  inside(box: Box): { painted: number; white: number; total: number };
}

/**
 * A screenshot on a transparent canvas, as OBS composites a browser source. (Chromium's new
 * headless mode ignores --default-background-color, so the default white is dropped here;
 * anything the page paints itself — a key colour, a panel — stays.)
 */
export async function shoot(page: Page): Promise<Shot> {
  const png = PNG.sync.read(await page.screenshot({ animations: 'disabled', omitBackground: true }));
  const at = (x: number, y: number): Rgba => {
    const i = (png.width * y + x) * 4;
    return [png.data[i]!, png.data[i + 1]!, png.data[i + 2]!, png.data[i + 3]!];
  };
  return {
    png,
    at,
    corners: () => [at(0, 0), at(png.width - 1, 0), at(0, png.height - 1), at(png.width - 1, png.height - 1)],
    outside(boxes, step = 24, margin = 48) {
      const near = (x: number, y: number) =>
        boxes.some((b) => x >= b.x - margin && x <= b.x + b.width + margin && y >= b.y - margin && y <= b.y + b.height + margin);
      const samples: Rgba[] = [];
      for (let y = 0; y < png.height; y += step) for (let x = 0; x < png.width; x += step) if (!near(x, y)) samples.push(at(x, y));
      return samples;
    },
    inside(box) {
      let painted = 0;
      let white = 0;
      let total = 0;
      for (let y = Math.ceil(box.y); y < Math.floor(box.y + box.height); y += 2) {
        for (let x = Math.ceil(box.x); x < Math.floor(box.x + box.width); x += 2) {
          const [r, g, b, a] = at(x, y);
          total += 1;
          if (a > 200) painted += 1;
          if (a > 200 && r > 225 && g > 225 && b > 225) white += 1;
        }
      }
      return { painted, white, total };
    },
  };
}

/** Where the graphics on air are: every scene view (and the live bug), in page pixels. */
export function sceneBoxes(page: Page): Promise<(Box & { scene: string })[]> {
  return page.$$eval('[data-scene-view]', (els) =>
    els.map((e) => {
      const r = e.getBoundingClientRect();
      return { scene: (e as HTMLElement).dataset.sceneView!, x: r.x, y: r.y, width: r.width, height: r.height };
    }),
  );
}
