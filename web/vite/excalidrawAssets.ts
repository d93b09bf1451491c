/// <reference types="node" />
/**
 * Self-hosts Excalidraw's assets (issue 7: nothing from a CDN). Excalidraw loads its fonts from
 * `window.EXCALIDRAW_ASSET_PATH` and falls back to https://esm.sh/… This plugin
 *  - copies the package's fonts into dist/assets/excalidraw-<version>/ (the version in the path
 *    makes the files immutable, as the server caches /assets/ forever) and serves them from
 *    node_modules in development;
 *  - defines __EXCALIDRAW_ASSET_DIR__ so the app sets EXCALIDRAW_ASSET_PATH to that folder;
 *  - rewrites the esm.sh fallback to the same folder on our origin;
 *  - fails the build if any emitted file still names a public CDN (unpkg, jsdelivr, esm.sh).
 */
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import type { Plugin } from 'vite';

export const CDN_PATTERN = /https?:\/\/(?:[a-z0-9-]+\.)*(?:unpkg\.com|jsdelivr\.net|esm\.sh)\b/gi;

/** CDN URLs found in a text, for the build check. */
export function findCdnUrls(text: string): string[] {
  return [...text.matchAll(CDN_PATTERN)].map((m) => m[0]);
}

/**
 * Excalidraw's fallback: `https://esm.sh/${pkg}@${version}/dist/prod/` inside a template literal.
 * Replaced by our origin's folder (it must stay an absolute URL: Excalidraw passes it to new URL()).
 */
export function rewriteCdnFallback(code: string, assetDir: string): string {
  return code.replace(/`https:\/\/esm\.sh\/\$\{.*?\}\/dist\/prod\/`/g, `\`\${window.location.origin}/${assetDir}/\``);
}

function packageRoot(): { root: string; version: string } {
  const require = createRequire(import.meta.url);
  // The package's exports map hides package.json; find it from the resolved entry instead.
  let dir = path.dirname(require.resolve('@excalidraw/excalidraw'));
  while (!fs.existsSync(path.join(dir, 'package.json'))) dir = path.dirname(dir);
  const { version } = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as { version: string };
  return { root: dir, version };
}

const MIME: Record<string, string> = { '.woff2': 'font/woff2', '.woff': 'font/woff', '.ttf': 'font/ttf' };

export function excalidrawAssets(): Plugin {
  const { root, version } = packageRoot();
  const assetDir = `assets/excalidraw-${version}`;
  const source = path.join(root, 'dist', 'prod');
  let outDir = 'dist';
  return {
    name: 'fluxmeet-excalidraw-assets',
    config: () => ({ define: { __EXCALIDRAW_ASSET_DIR__: JSON.stringify(assetDir) } }),
    configResolved(config) {
      outDir = path.resolve(config.root, config.build.outDir);
    },
    transform(code, id) {
      if (!id.includes('@excalidraw') || !code.includes('esm.sh')) return null;
      return { code: rewriteCdnFallback(code, assetDir), map: null };
    },
    configureServer(server) {
      server.middlewares.use(`/${assetDir}/`, (req, res, next) => {
        const relative = decodeURIComponent((req.url ?? '').split('?')[0]).replace(/^\/+/, '');
        const file = path.resolve(source, relative);
        if (!file.startsWith(source + path.sep) || !fs.existsSync(file) || !fs.statSync(file).isFile()) return next();
        res.setHeader('Content-Type', MIME[path.extname(file)] ?? 'application/octet-stream');
        fs.createReadStream(file).pipe(res);
      });
    },
    writeBundle(_options, bundle) {
      fs.cpSync(path.join(source, 'fonts'), path.join(outDir, assetDir, 'fonts'), { recursive: true });
      const offenders: string[] = [];
      for (const [name, output] of Object.entries(bundle)) {
        const text = output.type === 'chunk' ? output.code : typeof output.source === 'string' ? output.source : '';
        for (const url of findCdnUrls(text)) offenders.push(`${name}: ${url}`);
      }
      if (offenders.length > 0) this.error(`CDN URLs left in the build (assets must be self-hosted):\n${offenders.join('\n')}`);
    },
  };
}
