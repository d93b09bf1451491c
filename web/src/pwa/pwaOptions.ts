// vite-plugin-pwa settings: the web app manifest and how the service worker (src/pwa/sw.ts) is
// built. Kept out of vite.config.ts so the build file stays short.
import type { VitePWAOptions } from 'vite-plugin-pwa';
import { appShell } from './appShell';

export const THEME_COLOR = '#1a73e8';
export const BACKGROUND_COLOR = '#ffffff';

export const manifest: VitePWAOptions['manifest'] = {
  id: '/',
  name: 'Flux Meet',
  short_name: 'Flux Meet',
  description: 'Self-hosted video meetings: meet, chat and share your screen from any device.',
  start_url: '/',
  scope: '/',
  display: 'standalone',
  orientation: 'any',
  theme_color: THEME_COLOR,
  background_color: BACKGROUND_COLOR,
  lang: 'en',
  categories: ['business', 'productivity', 'social'],
  icons: [
    { src: '/icons/icon-192.png', sizes: '192x192', type: 'image/png', purpose: 'any' },
    { src: '/icons/icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'any' },
    { src: '/icons/icon-maskable-192.png', sizes: '192x192', type: 'image/png', purpose: 'maskable' },
    { src: '/icons/icon-maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
    { src: '/icons/logo.svg', sizes: 'any', type: 'image/svg+xml', purpose: 'any' },
  ],
  // Home reads ?new=1 (starts an instant meeting) and the join form focuses itself on ?join=1.
  shortcuts: [
    {
      name: 'New meeting',
      short_name: 'New',
      description: 'Start an instant meeting',
      url: '/?new=1',
      icons: [{ src: '/icons/icon-192.png', sizes: '192x192', type: 'image/png' }],
    },
    {
      name: 'Join a meeting',
      short_name: 'Join',
      description: 'Enter a meeting code or link',
      url: '/?join=1',
      icons: [{ src: '/icons/icon-192.png', sizes: '192x192', type: 'image/png' }],
    },
  ],
};

const shell = appShell();
/** Goes into vite.config.ts's plugins next to VitePWA: it records which files are the shell. */
export const appShellPlugin = shell.plugin;

export const pwaOptions: Partial<VitePWAOptions> = {
  strategies: 'injectManifest',
  srcDir: 'src/pwa',
  filename: 'sw.ts',
  // The app shows its own "new version" toast (src/pwa/UpdatePrompt.tsx) and registers the worker
  // itself, so no inline registration script is injected (the server's CSP forbids inline scripts).
  registerType: 'prompt',
  injectRegister: false,
  manifestFilename: 'manifest.webmanifest',
  // The plugin adds <link rel="manifest"> to index.html; the glob below already precaches the icons.
  includeManifestIcons: false,
  manifest,
  injectManifest: {
    // The app shell: the pages' bundles and styles, the icon font (woff2 only; browsers that take
    // woff fetch it at run time), icons, index.html and the offline page. The whiteboard's
    // bundles and its ~13 MB of fonts are left to the runtime cache (see appShell.ts).
    globPatterns: ['**/*.{js,css,html,svg,png,woff2}'],
    globIgnores: ['sw.js', '**/*.map', 'assets/excalidraw-*/**'],
    manifestTransforms: [shell.transform],
    maximumFileSizeToCacheInBytes: 4 * 1024 * 1024,
  },
  devOptions: { enabled: false },
};
