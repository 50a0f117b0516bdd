// The overlay's typeface, bundled (never fetched from a font service): IBM Plex Sans, Cyrillic
// and Latin subsets, the three weights the scenes use.
import '@fontsource/ibm-plex-sans/cyrillic-400.css';
import '@fontsource/ibm-plex-sans/cyrillic-600.css';
import '@fontsource/ibm-plex-sans/cyrillic-700.css';
import '@fontsource/ibm-plex-sans/latin-400.css';
import '@fontsource/ibm-plex-sans/latin-600.css';
import '@fontsource/ibm-plex-sans/latin-700.css';

const FAMILY = '"IBM Plex Sans"';
/** Letters from both subsets, so both files of each weight are loaded. */
const SAMPLE = 'Їжак Ґанок Aa 0123';
/** Graphics go on air with the fallback font rather than not at all. */
const WAIT_AT_MOST_MS = 3000;

/** Resolves once the bundled fonts are ready (or after a short wait), to avoid a font swap on air. */
export function fontsReady(): Promise<void> {
  const loads = Promise.all(['400', '600', '700'].map((w) => document.fonts.load(`${w} 40px ${FAMILY}`, SAMPLE)));
  const timeout = new Promise<void>((resolve) => setTimeout(resolve, WAIT_AT_MOST_MS));
  return Promise.race([loads.then(() => undefined), timeout]).catch(() => undefined);
}
