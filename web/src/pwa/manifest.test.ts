import { describe, expect, it } from 'vitest';
import indexHtml from '../../index.html?raw';
import { BACKGROUND_COLOR, manifest, pwaOptions, THEME_COLOR } from './pwaOptions';

describe('web app manifest', () => {
  it('has what installability checks ask for', () => {
    expect(manifest).toMatchObject({
      name: 'Flux Meet',
      short_name: 'Flux Meet',
      start_url: '/',
      scope: '/',
      display: 'standalone',
      theme_color: THEME_COLOR,
      background_color: BACKGROUND_COLOR,
    });
    expect(manifest && manifest.description).toBeTruthy();
    const icons = (manifest && manifest.icons) || [];
    const has = (sizes: string, purpose: string) => icons.some((i) => i.sizes === sizes && i.purpose === purpose && i.type === 'image/png');
    expect(has('192x192', 'any')).toBe(true);
    expect(has('512x512', 'any')).toBe(true);
    expect(has('512x512', 'maskable')).toBe(true);
  });

  it('has the New meeting and Join shortcuts, on URLs the app handles', () => {
    const shortcuts = (manifest && manifest.shortcuts) || [];
    expect(shortcuts.map((s) => [s.short_name, s.url])).toEqual([
      ['New', '/?new=1'],
      ['Join', '/?join=1'],
    ]);
  });

  it('builds a custom worker (push) that asks before updating, with no inline registration script', () => {
    expect(pwaOptions).toMatchObject({ strategies: 'injectManifest', registerType: 'prompt', injectRegister: false });
  });

  it('index.html carries the theme colour and the icons iOS uses', () => {
    expect(indexHtml).toContain(`<meta name="theme-color" content="${THEME_COLOR}"`);
    expect(indexHtml).toContain('rel="apple-touch-icon" href="/icons/apple-touch-icon.png"');
    expect(indexHtml).not.toMatch(/<script(?![^>]*src=)/); // CSP: no inline scripts
  });
});
