// One Vite config for every page: each page is an entry (residents' pages now; the console
// and the overlay join as their issues land). Output goes to dist/, served by the server.
import { defineConfig } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { fileURLToPath } from 'node:url';

const page = (path: string) => fileURLToPath(new URL(path, import.meta.url));

export default defineConfig({
  plugins: [svelte()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    rollupOptions: {
      input: {
        index: page('./client/index.html'),
        overlay: page('./overlay/index.html'),
        console: page('./client/console/index.html'),
        watch: page('./client/watch/index.html'),
        embed: page('./client/embed/index.html'),
      },
    },
  },
  server: { proxy: { '/api': 'http://localhost:8080' } },
});
