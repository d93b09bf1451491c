#!/usr/bin/env node
// Draws the six preset backgrounds of the video effects (issue 8) with a canvas in headless
// Chromium and writes them to public/backgrounds/ as WebP (1280x720 and a 160x90 thumbnail).
// They are drawn from code here, so we own them (see public/backgrounds/CREDITS.md). Run once after
// changing a scene and commit the images: the build only copies them.
//   node web/scripts/make-backgrounds.mjs   (needs playwright-core from tests/e2e and /usr/bin/chromium)
import { createRequire } from 'node:module';
import { writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(join(here, '../../tests/e2e/package.json'));
const { chromium } = require('playwright-core');
const out = resolve(here, '../public/backgrounds');

// Each scene draws on a 1280x720 2D context; `rand` is seeded so the images are reproducible.
const scenes = {
  office: (c, rand) => {
    const wall = c.createLinearGradient(0, 0, 0, 720);
    wall.addColorStop(0, '#e9e4dc');
    wall.addColorStop(1, '#d6cfc4');
    c.fillStyle = wall;
    c.fillRect(0, 0, 1280, 720);
    // A window with a bright sky.
    const sky = c.createLinearGradient(0, 90, 0, 430);
    sky.addColorStop(0, '#9cc7ec');
    sky.addColorStop(1, '#e3f1fb');
    c.fillStyle = '#f7f5f1';
    c.fillRect(760, 70, 420, 380);
    c.fillStyle = sky;
    c.fillRect(780, 90, 380, 340);
    c.fillStyle = '#f7f5f1';
    c.fillRect(962, 90, 16, 340);
    c.fillRect(780, 252, 380, 14);
    // Desk and a plant.
    c.fillStyle = '#8a6a4f';
    c.fillRect(0, 560, 1280, 160);
    c.fillStyle = '#6f553f';
    c.fillRect(0, 560, 1280, 18);
    c.fillStyle = '#c0674a';
    c.fillRect(120, 470, 90, 92);
    for (let i = 0; i < 14; i++) {
      c.fillStyle = i % 2 ? '#3f7d4e' : '#5a9a5f';
      c.beginPath();
      const a = -Math.PI / 2 + (rand() - 0.5) * 1.8;
      c.ellipse(165 + Math.cos(a) * 70, 450 + Math.sin(a) * 90, 18, 60, a + Math.PI / 2, 0, Math.PI * 2);
      c.fill();
    }
    // A framed picture.
    c.fillStyle = '#3b3b3b';
    c.fillRect(280, 140, 260, 180);
    c.fillStyle = '#d9a441';
    c.fillRect(294, 154, 232, 152);
    c.fillStyle = '#2f6f8f';
    c.beginPath();
    c.arc(410, 260, 70, Math.PI, 0);
    c.fill();
  },
  shelves: (c, rand) => {
    c.fillStyle = '#5b4332';
    c.fillRect(0, 0, 1280, 720);
    const colours = ['#a33b3b', '#2f5d8a', '#d2a13b', '#3f7a4f', '#6b4c8a', '#c76b3a', '#e6dccb', '#264653'];
    for (let shelf = 0; shelf < 4; shelf++) {
      const base = 170 + shelf * 175;
      c.fillStyle = '#3c2a1e';
      c.fillRect(0, base, 1280, 22);
      let x = 20;
      while (x < 1260) {
        const w = 18 + rand() * 26;
        const h = 100 + rand() * 45;
        c.fillStyle = colours[Math.floor(rand() * colours.length)];
        c.fillRect(x, base - h, w, h);
        c.fillStyle = 'rgba(255,255,255,0.18)';
        c.fillRect(x + 3, base - h + 12, w - 6, 4);
        x += w + 2 + (rand() < 0.08 ? 40 : 0);
      }
    }
  },
  hills: (c) => {
    const sky = c.createLinearGradient(0, 0, 0, 720);
    sky.addColorStop(0, '#7fb3e6');
    sky.addColorStop(1, '#f3e7c9');
    c.fillStyle = sky;
    c.fillRect(0, 0, 1280, 720);
    const layers = [
      ['#9dbf8a', 430, 60, 0.004],
      ['#6f9e65', 500, 70, 0.006],
      ['#4d7d4c', 580, 60, 0.009],
      ['#355e3a', 650, 40, 0.013],
    ];
    for (const [colour, y, amp, freq] of layers) {
      c.fillStyle = colour;
      c.beginPath();
      c.moveTo(0, 720);
      for (let x = 0; x <= 1280; x += 8) c.lineTo(x, y - Math.sin(x * freq + y) * amp - Math.sin(x * freq * 2.7) * amp * 0.3);
      c.lineTo(1280, 720);
      c.fill();
    }
  },
  sea: (c) => {
    const sky = c.createLinearGradient(0, 0, 0, 400);
    sky.addColorStop(0, '#3b2a5c');
    sky.addColorStop(0.6, '#d9735a');
    sky.addColorStop(1, '#f4c06a');
    c.fillStyle = sky;
    c.fillRect(0, 0, 1280, 400);
    c.fillStyle = '#fbe3a1';
    c.beginPath();
    c.arc(640, 400, 80, Math.PI, 0);
    c.fill();
    const sea = c.createLinearGradient(0, 400, 0, 720);
    sea.addColorStop(0, '#4b5c8a');
    sea.addColorStop(1, '#1d2745');
    c.fillStyle = sea;
    c.fillRect(0, 400, 1280, 320);
    for (let i = 0; i < 22; i++) {
      c.fillStyle = `rgba(251, 227, 161, ${0.5 - i * 0.02})`;
      const w = 160 - i * 5;
      c.fillRect(640 - w / 2, 410 + i * 13, w, 4);
    }
  },
  night: (c, rand) => {
    const sky = c.createLinearGradient(0, 0, 0, 720);
    sky.addColorStop(0, '#0b1026');
    sky.addColorStop(1, '#27345e');
    c.fillStyle = sky;
    c.fillRect(0, 0, 1280, 720);
    for (let i = 0; i < 260; i++) {
      c.fillStyle = `rgba(255,255,255,${0.3 + rand() * 0.7})`;
      c.beginPath();
      c.arc(rand() * 1280, rand() * 560, rand() * 1.6 + 0.3, 0, Math.PI * 2);
      c.fill();
    }
    c.fillStyle = '#f1ecd2';
    c.beginPath();
    c.arc(1020, 150, 56, 0, Math.PI * 2);
    c.fill();
    c.fillStyle = '#0f1630';
    c.beginPath();
    c.arc(1044, 136, 52, 0, Math.PI * 2);
    c.fill();
    c.fillStyle = '#111a33';
    c.beginPath();
    c.moveTo(0, 720);
    for (let x = 0; x <= 1280; x += 10) c.lineTo(x, 600 - Math.abs(Math.sin(x * 0.006)) * 90);
    c.lineTo(1280, 720);
    c.fill();
  },
  waves: (c) => {
    const bg = c.createLinearGradient(0, 0, 1280, 720);
    bg.addColorStop(0, '#1a73e8');
    bg.addColorStop(1, '#7b4fd6');
    c.fillStyle = bg;
    c.fillRect(0, 0, 1280, 720);
    for (let i = 0; i < 7; i++) {
      c.fillStyle = `rgba(255,255,255,${0.05 + i * 0.012})`;
      c.beginPath();
      c.moveTo(0, 720);
      for (let x = 0; x <= 1280; x += 8) c.lineTo(x, 260 + i * 65 + Math.sin(x * 0.005 + i) * 50);
      c.lineTo(1280, 720);
      c.fill();
    }
  },
};

const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium', args: ['--no-sandbox'] });
try {
  const page = await browser.newPage();
  for (const [name, draw] of Object.entries(scenes)) {
    const urls = await page.evaluate(
      ([source]) => {
        let seed = 7;
        const rand = () => ((seed = (seed * 16807) % 2147483647) - 1) / 2147483646;
        const big = document.createElement('canvas');
        big.width = 1280;
        big.height = 720;
        new Function('c', 'rand', `(${source})(c, rand)`)(big.getContext('2d'), rand);
        const small = document.createElement('canvas');
        small.width = 160;
        small.height = 90;
        small.getContext('2d').drawImage(big, 0, 0, 160, 90);
        return [big.toDataURL('image/webp', 0.8), small.toDataURL('image/webp', 0.8)];
      },
      [draw.toString()],
    );
    for (const [suffix, url] of [['', urls[0]], ['-thumb', urls[1]]]) {
      const file = join(out, `${name}${suffix}.webp`);
      writeFileSync(file, Buffer.from(url.split(',')[1], 'base64'));
      console.log(file);
    }
  }
} finally {
  await browser.close();
}
