// Builds the renderer (src-renderer) into dist/renderer. `base: './'` keeps every asset URL relative, so
// the same build loads from file:// in Electron and from the web host's http://127.0.0.1 origin.
// No inline scripts or styles: the page's CSP (src-renderer/index.html) allows only 'self'.
import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('./src-renderer', import.meta.url));
const outDir = fileURLToPath(new URL('./dist/renderer', import.meta.url));

export default defineConfig({
  root,
  base: './',
  plugins: [react()],
  build: {
    outDir,
    emptyOutDir: true,
    target: 'chrome130',
    sourcemap: false,
    // The polyfill would be inlined into index.html, which the CSP forbids; Chromium needs none.
    modulePreload: { polyfill: false },
    cssCodeSplit: false,
    assetsInlineLimit: 0,
    chunkSizeWarningLimit: 1500,
  },
  server: { host: '127.0.0.1', strictPort: false },
});
