// A fake camera picture with detail everywhere, for Chromium's --use-file-for-fake-video-capture:
// a green, finely textured frame (an 8-pixel checkerboard that moves one pixel per frame). The
// default fake camera is flat green with one large shape, which leaves a blur nothing to remove;
// this texture is all background to the segmentation model (there is no person in it), so a
// strong blur visibly flattens it. Written as Y4M (YUV4MPEG2, 4:2:0), the format Chromium reads.
import { writeFileSync } from 'node:fs';

export function writeTexturedY4m(path, { width = 640, height = 360, frames = 30 } = {}) {
  const header = Buffer.from(`YUV4MPEG2 W${width} H${height} F30:1 Ip A1:1 C420jpeg\n`);
  const chroma = (width / 2) * (height / 2);
  const parts = [header];
  for (let f = 0; f < frames; f++) {
    const y = Buffer.alloc(width * height);
    for (let row = 0; row < height; row++) {
      for (let col = 0; col < width; col++) y[row * width + col] = ((col + f) >> 3) % 2 === (row >> 3) % 2 ? 200 : 60;
    }
    // U and V below the middle: green.
    parts.push(Buffer.from('FRAME\n'), y, Buffer.alloc(chroma, 80), Buffer.alloc(chroma, 80));
  }
  writeFileSync(path, Buffer.concat(parts));
  return path;
}
