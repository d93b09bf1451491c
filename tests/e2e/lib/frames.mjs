// Reading what a <video> shows, from inside the page, through a canvas: the picture's sharpness
// (mean luminance gradient) and its mean colour, averaged over a few frames because the fake
// camera's pattern moves. Used to tell a processed camera (blurred, background replaced) from the
// camera as it is.

/**
 * Sharpness and colour of what `video` (an element handle or a selector) shows in `region`
 * ([x0, y0, x1, y1] as fractions of the frame), averaged over `samples` frames 150 ms apart.
 * Sharpness is the mean absolute luminance difference between neighbouring pixels of the frame
 * scaled to 160x90 (all in one function: the app's CSP forbids eval in the page).
 */
export async function measureVideo(page, video, { region = [0, 0, 1, 1], samples = 8 } = {}) {
  const handle = typeof video === 'string' ? await page.locator(video).elementHandle() : video;
  return page.evaluate(
    async ([element, [x0, y0, x1, y1], count]) => {
      const W = 160;
      const H = 90;
      const canvas = new OffscreenCanvas(W, H);
      const ctx = canvas.getContext('2d', { willReadFrequently: true });
      const [ax, ay, bx, by] = [Math.floor(x0 * W), Math.floor(y0 * H), Math.ceil(x1 * W) - 1, Math.ceil(y1 * H) - 1];
      let gradient = 0;
      const colour = [0, 0, 0];
      let n = 0;
      for (let sample = 0; sample < count; sample++) {
        ctx.drawImage(element, 0, 0, W, H);
        const { data } = ctx.getImageData(0, 0, W, H);
        const lum = (x, y) => {
          const i = (y * W + x) * 4;
          return 0.299 * data[i] + 0.587 * data[i + 1] + 0.114 * data[i + 2];
        };
        for (let y = ay; y < by; y++) {
          for (let x = ax; x < bx; x++) {
            gradient += Math.abs(lum(x + 1, y) - lum(x, y)) + Math.abs(lum(x, y + 1) - lum(x, y));
            const i = (y * W + x) * 4;
            colour[0] += data[i];
            colour[1] += data[i + 1];
            colour[2] += data[i + 2];
            n++;
          }
        }
        await new Promise((resolve) => setTimeout(resolve, 150));
      }
      return { gradient: gradient / n, colour: colour.map((c) => c / n) };
    },
    [handle, region, samples],
  );
}

/** The same measure of the raw fake camera, opened afresh in the page (then closed again). */
export async function measureRawCamera(page, options = {}) {
  const video = await page.evaluateHandle(async () => {
    const stream = await navigator.mediaDevices.getUserMedia({ video: true });
    const element = document.createElement('video');
    element.muted = true;
    element.srcObject = stream;
    await element.play();
    while (element.videoWidth === 0) await new Promise((r) => setTimeout(r, 20));
    return element;
  });
  try {
    return await measureVideo(page, video, options);
  } finally {
    await video.evaluate((element) => {
      for (const track of element.srcObject.getTracks()) track.stop();
      element.srcObject = null;
    });
  }
}
