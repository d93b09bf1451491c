// Which built files make up the app shell that the service worker precaches. Everything the app
// reaches from its entry by static imports and by the lazy page routes (src/, outside the
// whiteboard) is in; what only the whiteboard pulls in (Excalidraw, its locales, diagram
// renderers, fonts: hundreds of files, megabytes) is not, and is cached at run time when a board
// is first opened. Computed from the bundle graph at build time, so new pages need no list.
import type { ManifestTransform } from 'workbox-build';
import type { Plugin } from 'vite';

/** The part of a Rollup/Rolldown output chunk or asset that the walk reads. */
export interface BundleItem {
  type: 'chunk' | 'asset';
  fileName: string;
  isEntry?: boolean;
  imports?: readonly string[];
  dynamicImports?: readonly string[];
  facadeModuleId?: string | null;
  source?: string | Uint8Array;
  viteMetadata?: { importedCss: Set<string>; importedAssets: Set<string> };
}

const OUTSIDE_SHELL = /\/src\/features\/whiteboard\//;

const facade = (item: BundleItem | undefined) => item?.facadeModuleId?.replace(/\\/g, '/') ?? '';
/** Our own module (src/ or a plugin's virtual one), not a package's. */
const isOwn = (item: BundleItem | undefined) => facade(item) !== '' && !facade(item).includes('/node_modules/');

/** A lazy import stays in the shell when it leaves our own code (a page, the worker registration
 * and the package it loads) but not when a package loads its own lazy parts (Excalidraw's
 * locales and diagram renderers), and never for the whiteboard. */
function followLazy(from: BundleItem, to: BundleItem | undefined): boolean {
  if (!to || OUTSIDE_SHELL.test(facade(to))) return false;
  return isOwn(to) || isOwn(from);
}

export function shellFiles(bundle: Record<string, BundleItem>): Set<string> {
  const keep = new Set<string>();
  const visit = (fileName: string) => {
    const item = bundle[fileName];
    if (!item || keep.has(fileName)) return;
    keep.add(fileName);
    if (item.type !== 'chunk') return;
    item.imports?.forEach(visit);
    item.dynamicImports?.filter((f) => followLazy(item, bundle[f])).forEach(visit);
    item.viteMetadata?.importedCss.forEach(visit);
    item.viteMetadata?.importedAssets.forEach(visit);
  };
  Object.values(bundle)
    .filter((item) => item.type === 'chunk' && item.isEntry)
    .forEach((item) => visit(item.fileName));
  // Fonts and images a kept stylesheet points at (the icon font).
  for (const fileName of [...keep]) {
    const item = bundle[fileName];
    if (item?.type !== 'asset' || !fileName.endsWith('.css')) continue;
    const text = typeof item.source === 'string' ? item.source : new TextDecoder().decode(item.source);
    for (const m of text.matchAll(/\/?(assets\/[^)"'\s?#]+)/g)) if (bundle[m[1]]) keep.add(m[1]);
  }
  return keep;
}

/**
 * A build plugin that records the shell, and the precache filter that uses it. Files outside
 * assets/ (index.html, offline.html, icons) always stay; with no record (a build without the
 * plugin) nothing is filtered.
 */
export function appShell(): { plugin: Plugin; transform: ManifestTransform } {
  let shell: Set<string> | null = null;
  const plugin: Plugin = {
    name: 'fluxmeet-app-shell',
    apply: 'build',
    generateBundle(_options, bundle) {
      shell = shellFiles(bundle as unknown as Record<string, BundleItem>);
    },
  };
  const transform: ManifestTransform = (entries) => {
    const kept = shell ? entries.filter((e) => !e.url.startsWith('assets/') || shell!.has(e.url)) : entries;
    return { manifest: kept, warnings: [] };
  };
  return { plugin, transform };
}
