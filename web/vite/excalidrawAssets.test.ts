/// <reference types="node" />
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { findCdnUrls, rewriteCdnFallback } from './excalidrawAssets';

const prod = path.resolve(__dirname, '../node_modules/@excalidraw/excalidraw/dist/prod');
const scripts = (dir: string): string[] =>
  fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? (entry.name === 'fonts' ? [] : scripts(full)) : full.endsWith('.js') ? [full] : [];
  });

describe('self-hosted Excalidraw assets', () => {
  it('finds CDN URLs', () => {
    expect(findCdnUrls('a https://esm.sh/x b https://cdn.jsdelivr.net/npm/y c https://unpkg.com/z d https://example.com')).toEqual([
      'https://esm.sh',
      'https://cdn.jsdelivr.net',
      'https://unpkg.com',
    ]);
  });

  it('leaves no CDN URL in the Excalidraw package once its font fallback is rewritten', () => {
    const files = scripts(prod);
    expect(files.length).toBeGreaterThan(3);
    const before = files.flatMap((file) => findCdnUrls(fs.readFileSync(file, 'utf8')));
    expect(before).toContain('https://esm.sh'); // what the rewrite is for
    for (const file of files) {
      const code = rewriteCdnFallback(fs.readFileSync(file, 'utf8'), 'assets/excalidraw-test');
      expect(findCdnUrls(code), file).toEqual([]);
    }
  });

  it('points the fallback at our origin, as an absolute URL', () => {
    const code =
      'P(jn,"ASSETS_FALLBACK_URL",`https://esm.sh/${M.PKG_NAME?`${M.PKG_NAME}@${M.PKG_VERSION}`:"@excalidraw/excalidraw"}/dist/prod/`);';
    const rewritten = rewriteCdnFallback(code, 'assets/excalidraw-1.0.0');
    expect(rewritten).toBe('P(jn,"ASSETS_FALLBACK_URL",`${window.location.origin}/assets/excalidraw-1.0.0/`);');
  });

  it('ships the fonts the package loads', () => {
    expect(fs.existsSync(path.join(prod, 'fonts', 'Excalifont'))).toBe(true);
    expect(fs.existsSync(path.join(prod, 'fonts', 'Virgil'))).toBe(true);
  });
});
