/**
 * Where Excalidraw loads its fonts from: our own origin (vite/excalidrawAssets.ts copies them
 * there at build time and serves them in development), never a CDN.
 */
declare const __EXCALIDRAW_ASSET_DIR__: string;

export function excalidrawAssetPath(origin: string = window.location.origin): string {
  const dir = typeof __EXCALIDRAW_ASSET_DIR__ === 'string' ? __EXCALIDRAW_ASSET_DIR__ : 'assets/excalidraw';
  return `${origin}/${dir}/`;
}

/** Must run before Excalidraw renders (it reads the global when it registers its fonts). */
export function selfHostExcalidrawAssets(): void {
  (window as unknown as { EXCALIDRAW_ASSET_PATH?: string }).EXCALIDRAW_ASSET_PATH = excalidrawAssetPath();
}

selfHostExcalidrawAssets();
