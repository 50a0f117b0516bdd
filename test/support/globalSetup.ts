// Builds the pages once before the suite, so servers under test (and browser tests) serve
// the real bundle, as `npm start` would.
import { build } from 'vite';

export default async function setup(): Promise<void> {
  await build({ logLevel: 'warn' });
}
