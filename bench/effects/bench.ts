// Runs the app's effects pipeline on the (fake) camera for a few seconds per case and reports the
// pipeline's own figures: processing time per frame (p50/p95) and the frame rate it achieved.
// Called by bench.mjs through window.runEffectsBench.
import { EffectsPipeline } from '@web/media/effects/pipeline';
import type { Background } from '@web/media/effects/effects';

interface BenchCase {
  effect: 'blur' | 'image';
  width: number;
  height: number;
  seconds: number;
}

async function background(effect: BenchCase['effect']): Promise<Background> {
  if (effect === 'blur') return { kind: 'blur', strength: 'strong' };
  const image = new Image();
  image.src = '/office.webp';
  await image.decode();
  return { kind: 'image', image, width: image.naturalWidth, height: image.naturalHeight };
}

async function run(c: BenchCase) {
  const stream = await navigator.mediaDevices.getUserMedia({ video: { width: c.width, height: c.height, frameRate: 30 } });
  const camera = stream.getVideoTracks()[0]!;
  // Adaptation off (budget out of reach): the figures are those of full quality.
  const pipeline = await EffectsPipeline.start(camera, await background(c.effect), {
    adaptive: { budgetMs: 1e9, window: 1e9, raiseBelow: 0, raiseAfterWindows: 1e9 },
  });
  // Something has to consume the output for frames to flow, as the encoder does in a call.
  const video = document.createElement('video');
  video.muted = true;
  video.srcObject = new MediaStream([pipeline.output]);
  await video.play();
  await new Promise((r) => setTimeout(r, 1500)); // warm-up, not counted
  pipeline.resetStats();
  const warm = pipeline.stats().frames;
  await new Promise((r) => setTimeout(r, c.seconds * 1000));
  const stats = pipeline.stats();
  pipeline.stop();
  camera.stop();
  return { ...c, ...stats, frames: stats.frames - warm };
}

(window as unknown as { runEffectsBench: (c: BenchCase) => ReturnType<typeof run> }).runEffectsBench = run;
