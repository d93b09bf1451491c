/// <reference types="vitest/config" />
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { VitePWA } from 'vite-plugin-pwa';
import { appShellPlugin, pwaOptions } from './src/pwa/pwaOptions';
import { excalidrawAssets } from './vite/excalidrawAssets';
import { segmentationAssets } from './vite/segmentationAssets';

// The C++ server (port 6001) serves dist/ in production; in development Vite serves the app
// and forwards the API and the signaling WebSocket to it so that cookies stay same-origin.
const backend = 'http://localhost:6001';

export default defineConfig({
  plugins: [react(), VitePWA(pwaOptions), appShellPlugin, excalidrawAssets(), segmentationAssets()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // No inline scripts: the server's CSP forbids them (modulepreload polyfill is inlined otherwise).
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
  },
  // The segmentation worker is a module worker that loads the engine with import() (code-splitting).
  worker: { format: 'es' },
  server: {
    port: 5173,
    proxy: {
      '/api': { target: backend, changeOrigin: false },
      '/ws': { target: backend, ws: true },
    },
  },
  test: {
    environment: 'jsdom',
    setupFiles: ['./src/test/setup.ts'],
    css: false,
    restoreMocks: true,
  },
});
