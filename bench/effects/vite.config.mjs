// Builds the effects benchmark page: the app's own pipeline (web/src/media/effects) and the
// self-hosted model files, nothing else. Run through run.sh.
import { resolve } from 'node:path';
import { segmentationAssets } from '../../web/vite/segmentationAssets';

export default {
  root: import.meta.dirname,
  // The preset images, served at / (office.webp is the replacement background measured).
  publicDir: resolve(import.meta.dirname, '../../web/public/backgrounds'),
  plugins: [segmentationAssets()],
  // As the app's config: the segmentation worker is a module worker with code-splitting.
  worker: { format: 'es' },
  build: { outDir: process.env.BENCH_OUT ?? '/tmp/fluxmeet-bench-effects', emptyOutDir: true, modulePreload: { polyfill: false } },
  resolve: { alias: { '@web': resolve(import.meta.dirname, '../../web/src') } },
};
