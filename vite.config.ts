// One Vite config for every page: each page is an entry (residents' pages, the console and the
// overlay). Output goes to dist/, served by the server.
import { defineConfig, build, type Plugin } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { fileURLToPath } from 'node:url';

const page = (path: string) => fileURLToPath(new URL(path, import.meta.url));

/**
 * The overlay runs on the broadcast PC inside OBS and should load nothing it does not use, so it
 * is built on its own after the other pages, into the same folder: chunks shared between pages
 * carry every export any of them uses (the console's share of Svelte's runtime, for one). Its
 * live feed talks over a WebSocket only, through overlay/src/liveSocket.ts in place of
 * socket.io-client (a third of the page otherwise).
 */
function overlayBuiltAlone(): Plugin {
  let outDir = 'dist';
  let root = '.';
  return {
    name: 'radacast:overlay-built-alone',
    apply: 'build',
    configResolved(config) {
      outDir = config.build.outDir;
      root = config.root;
    },
    async closeBundle() {
      await build({
        configFile: false,
        root,
        logLevel: 'warn',
        plugins: [svelte()],
        resolve: { alias: { 'socket.io-client': page('./overlay/src/liveSocket.ts') } },
        build: { outDir, emptyOutDir: false, rollupOptions: { input: { overlay: page('./overlay/index.html') } } },
      });
    },
  };
}

export default defineConfig({
  plugins: [svelte(), overlayBuiltAlone()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    rollupOptions: {
      input: {
        index: page('./client/index.html'),
        console: page('./client/console/index.html'),
        watch: page('./client/watch/index.html'),
        embed: page('./client/embed/index.html'),
        interpret: page('./client/interpret/index.html'),
      },
    },
  },
  server: { proxy: { '/api': 'http://localhost:8080' } },
});
