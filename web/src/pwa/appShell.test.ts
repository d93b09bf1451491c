import { describe, expect, it } from 'vitest';
import { appShell, shellFiles, type BundleItem } from './appShell';

const chunk = (fileName: string, facadeModuleId: string | null, more: Partial<BundleItem> = {}): BundleItem => ({
  type: 'chunk',
  fileName,
  facadeModuleId,
  imports: [],
  dynamicImports: [],
  ...more,
});

function bundle(): Record<string, BundleItem> {
  const items: BundleItem[] = [
    chunk('assets/index-1.js', '/app/src/main.tsx', {
      isEntry: true,
      imports: ['assets/jsx-runtime-1.js'],
      dynamicImports: ['assets/Home-1.js', 'assets/virtual_pwa-register-1.js', 'assets/MeetingPage-1.js'],
      viteMetadata: { importedCss: new Set(['assets/index-1.css']), importedAssets: new Set() },
    }),
    chunk('assets/jsx-runtime-1.js', null),
    chunk('assets/Home-1.js', '/app/src/features/home/Home.tsx'),
    chunk('assets/virtual_pwa-register-1.js', '\0virtual:pwa-register', { dynamicImports: ['assets/workbox-window-1.js'] }),
    chunk('assets/workbox-window-1.js', '/app/node_modules/workbox-window/build/workbox-window.prod.es5.mjs'),
    chunk('assets/MeetingPage-1.js', '/app/src/features/meeting/MeetingPage.tsx', { dynamicImports: ['assets/BoardCanvas-1.js'] }),
    chunk('assets/BoardCanvas-1.js', '/app/src/features/whiteboard/BoardCanvas.tsx', { imports: ['assets/excalidraw-1.js'] }),
    chunk('assets/excalidraw-1.js', null, { dynamicImports: ['assets/ar-SA-1.js'] }),
    chunk('assets/ar-SA-1.js', '/app/node_modules/@excalidraw/excalidraw/dist/prod/locales/ar-SA.js'),
    { type: 'asset', fileName: 'assets/index-1.css', source: '@font-face{src:url(/assets/bootstrap-icons-1.woff2) format("woff2")}' },
    { type: 'asset', fileName: 'assets/bootstrap-icons-1.woff2', source: new Uint8Array() },
    { type: 'asset', fileName: 'assets/Xiaolai-1.woff2', source: new Uint8Array() },
  ];
  return Object.fromEntries(items.map((i) => [i.fileName, i]));
}

describe('app shell', () => {
  it('holds the pages, the worker registration and the icon font, not the whiteboard', () => {
    expect([...shellFiles(bundle())].sort()).toEqual([
      'assets/Home-1.js',
      'assets/MeetingPage-1.js',
      'assets/bootstrap-icons-1.woff2',
      'assets/index-1.css',
      'assets/index-1.js',
      'assets/jsx-runtime-1.js',
      'assets/virtual_pwa-register-1.js',
      'assets/workbox-window-1.js',
    ]);
  });

  it('filters the precache list once the bundle was seen, keeping files outside assets/', async () => {
    const { plugin, transform } = appShell();
    const entries = ['index.html', 'offline.html', 'icons/icon-192.png', 'assets/index-1.js', 'assets/ar-SA-1.js'].map((url) => ({
      url,
      revision: null,
      size: 1,
    }));
    expect((await transform(entries)).manifest).toHaveLength(5); // no bundle seen: keep all
    const generate = plugin.generateBundle as (this: unknown, o: unknown, b: unknown) => void;
    generate.call({}, {}, bundle());
    expect((await transform(entries)).manifest.map((e) => e.url)).toEqual([
      'index.html',
      'offline.html',
      'icons/icon-192.png',
      'assets/index-1.js',
    ]);
  });
});
